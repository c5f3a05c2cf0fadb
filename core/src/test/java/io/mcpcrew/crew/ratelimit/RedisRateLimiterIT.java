package io.mcpcrew.crew.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.redis.CoalescingStats;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rate limiter contract on a real, private redis-server, plus what only the script on one server shows: the
 * decisions against a model of the window in server time, trimming, merged runs of checks, memory per key.
 */
@ExtendWith(RedisServerExtension.class)
class RedisRateLimiterIT extends RateLimiterContract implements StoredQuotaContract, StoredUsageContract {
    private RedisServer server;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.ensureRunningAndEmpty();
    }

    private JedisRedisManager manager(Map<String, String> extra) {
        return redisManager(Map.of("redis.crew.host", server.host(), "redis.crew.port", String.valueOf(server.port())),
                extra);
    }

    @Override
    public RedisRateLimiter limiter(Map<String, String> extra) {
        return new RedisRateLimiter(manager(extra));
    }

    @Override
    public Stored stored() {
        return Stored.on(server);
    }

    @Test
    void everyDecisionMatchesAModelOfTheWindowInServerTime() throws Exception {
        TenantRateLimiter t = limiter(Map.of()).forTenant("model");
        int limit = 40;
        Duration window = Duration.ofMillis(120);
        long w = window.toNanos() / 1000;
        List<Long> units = new ArrayList<>(); // admitted units, oldest first, in server microseconds
        java.util.Random rnd = new java.util.Random(7);
        int admitted = 0;
        int refused = 0;
        for (int i = 0; i < 400; i++) {
            int cost = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(12) : 1; // bursts make many units expire together
            RateLimitDecision d = t.tryAcquire("m", limit, window, cost);
            long now = micros(d.decidedAt());
            units.removeIf(ts -> ts <= now - w);
            int count = units.size();
            boolean expectAllowed = count + cost <= limit;
            String ctx = "decision " + i + " (cost " + cost + ", counted " + count + "): " + d;
            assertEquals(expectAllowed, d.allowed(), ctx);
            long expectedRetry = 0;
            if (expectAllowed) {
                for (int u = 0; u < cost; u++) {
                    units.add(now);
                }
                admitted++;
            } else {
                expectedRetry = units.get(count + cost - limit - 1) + w - now;
                refused++;
            }
            assertEquals(limit - units.size(), d.remaining(), ctx);
            assertEquals(units.isEmpty() ? 0 : units.get(0) + w - now, d.resetAfter().toNanos() / 1000, ctx);
            assertEquals(expectedRetry, d.retryAfter().toNanos() / 1000, ctx);
            if (rnd.nextInt(4) == 0) {
                Thread.sleep(rnd.nextInt(40));
            }
        }
        assertTrue(admitted > 50 && refused > 20, "admitted " + admitted + ", refused " + refused);
    }

    @Test
    void trimsAnExpiredRunLongerThanTheTailItReads() throws Exception {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Duration window = Duration.ofMillis(1200);
        RateLimitDecision old = t.tryAcquire("run", 12, window, 6);
        Thread.sleep(600);
        RateLimitDecision young = t.tryAcquire("run", 12, window, 5);
        assertTrue(old.allowed() && young.allowed());
        assertEquals(1, young.remaining());
        // wait until the 6 old units have left but the 5 young ones still count: 6 expired elements at the tail, more
        // than the script reads at once, under a head that still counts
        long wait = micros(old.decidedAt()) + 1_200_000 - micros(young.decidedAt()) + 20_000;
        Thread.sleep(Math.max(1, wait / 1000));
        RateLimitDecision d = t.tryAcquire("run", 12, window);
        long floor = micros(d.decidedAt()) - 1_200_000;
        org.junit.jupiter.api.Assumptions.assumeTrue(micros(young.decidedAt()) > floor, "the machine stalled past the window");
        assertTrue(d.allowed());
        assertEquals(12 - 5 - 1, d.remaining(), "the 6 old units no longer count");
        assertEquals(":6", server.command("LLEN", "crew:t1:ratelimit:run"), "the expired run was trimmed");
        assertEquals(micros(young.decidedAt()) + 1_200_000 - micros(d.decidedAt()), d.resetAfter().toNanos() / 1000);
    }

    @Test
    void oneCheckOnAKeyOfTheWrongTypeFailsAloneInAMergedRun() {
        JedisRedisManager m = manager(Map.of());
        server.command("SET", "crew:t1:ratelimit:wrong", "x");
        Object reply = m.evalBinary(RedisRateLimiter.SLIDING_WINDOW_LUA,
                List.of(bytes("crew:t1:ratelimit:a"), bytes("crew:t1:ratelimit:wrong"), bytes("crew:t1:ratelimit:a")),
                List.of(bytes("2"), bytes("1000000"), bytes("1"), bytes("2"), bytes("1000000"), bytes("1"),
                        bytes("2"), bytes("1000000"), bytes("1")));
        List<?> r = (List<?>) reply;
        assertEquals(10, r.size(), "3 replies per check and the server time: " + r);
        assertEquals(List.of(1L, 1_000_000L, 0L), r.subList(0, 3), "first check admitted, 1 left");
        assertTrue(new String((byte[]) r.get(3), java.nio.charset.StandardCharsets.UTF_8).contains("WRONGTYPE"),
                "the second check's error is its own");
        assertEquals(0L, r.get(6), "the third check (same key as the first) admitted, 0 left");
        assertEquals(0L, r.get(8), "retryAfter 0: admitted");
        assertEquals(":2", server.command("LLEN", "crew:t1:ratelimit:a"));
        assertMessage(io.mcpcrew.crew.redis.RedisDataException.class, "WRONGTYPE",
                () -> new RedisRateLimiter(m).forTenant("t1").tryAcquire("wrong", 2, Duration.ofSeconds(1)));
    }

    /** quota.lua merged: one set of arguments for every item, and an item on a key of the wrong type fails alone. */
    @Test
    void aMergedQuotaRunDecidesEachItemOnItsOwnKey() {
        JedisRedisManager m = manager(Map.of());
        server.command("SET", "crew:t1:ratelimit:{t1.wrong}:q", "x");
        List<byte[]> keys = List.of(bytes("crew:t1:ratelimit:{t1.a}:q"), bytes("crew:t1:ratelimit:{t1.wrong}:q"),
                bytes("crew:t1:ratelimit:{t1.a}:q"));
        // one token bucket of 2 tokens per second (m = 1 point per µs, w = 500000 points per token, capacity 10^6)
        List<?> r = (List<?>) m.evalBinary(QuotaScript.LUA, keys, List.of(bytes("1"), bytes("c"), bytes("1"),
                bytes("tps"), bytes("TT"), bytes("1"), bytes("500000"), bytes("1000000")));
        assertEquals(3 * 5 + 1, r.size(), "5 replies per item and the server time: " + r);
        assertEquals(List.of(0L, 0L, 1L, 500_000L, 0L), r.subList(0, 5), "admitted, 1 left, refilled in 0.5 s");
        assertTrue(new String((byte[]) r.get(5), java.nio.charset.StandardCharsets.UTF_8).contains("WRONGTYPE"),
                "the second item's error is its own");
        assertEquals(List.of(0L, 0L, 0L, 1_000_000L, 0L), r.subList(10, 15), "the third (the first key again): 0 left");
        assertMessage(io.mcpcrew.crew.redis.RedisDataException.class, "WRONGTYPE", () -> new RedisRateLimiter(m)
                .forTenant("t1").consume("wrong", Quota.of(Limit.tokenBucket("tps", LimitUnit.TOKENS, 2, Duration.ofSeconds(1))), 1));
    }

    @Test
    void oneSetOfArgumentsServesEveryCheckOfARun() {
        JedisRedisManager m = manager(Map.of());
        Object reply = m.evalBinary(RedisRateLimiter.SLIDING_WINDOW_LUA,
                List.of(bytes("crew:t1:ratelimit:a"), bytes("crew:t1:ratelimit:b"), bytes("crew:t1:ratelimit:a")),
                List.of(bytes("2"), bytes("1000000"), bytes("1")));
        List<?> r = (List<?>) reply;
        assertEquals(10, r.size(), "3 replies per check and the server time: " + r);
        assertEquals(List.of(1L, 1_000_000L, 0L), r.subList(0, 3), "a admitted, 1 left");
        assertEquals(List.of(1L, 1_000_000L, 0L), r.subList(3, 6), "b admitted under the same limit, 1 left");
        assertEquals(List.of(0L, 1_000_000L, 0L), r.subList(6, 9), "a again: admitted, 0 left");
        assertEquals(":2", server.command("LLEN", "crew:t1:ratelimit:a"));
        assertEquals(":1", server.command("LLEN", "crew:t1:ratelimit:b"));
    }

    @Test
    void concurrentChecksUnderDifferentPoliciesKeepTheirOwnLimitsWhenMerged() throws Exception {
        JedisRedisManager m = manager(Map.of());
        TenantRateLimiter t = new RedisRateLimiter(m).forTenant("mixed");
        CoalescingStats before = m.coalescing();
        int[] limits = {30, 50, 70};
        AtomicInteger[] admitted = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        runThreads(8, id -> {
            for (int k = 0; k < 60; k++) {
                int p = (id + k) % 3; // threads switch policies, so runs mix equal and different arguments
                if (t.tryAcquire("p" + p, limits[p], Duration.ofSeconds(60), 1).allowed()) {
                    admitted[p].incrementAndGet();
                }
            }
        });
        for (int p = 0; p < 3; p++) {
            assertEquals(limits[p], admitted[p].get(), "resource p" + p + " admits exactly its own limit");
            assertEquals(":" + limits[p], server.command("LLEN", "crew:mixed:ratelimit:p" + p));
        }
        CoalescingStats shared = m.coalescing().since(before);
        assertTrue(shared.commands() > shared.pipelines(), "some checks shared a round trip: " + shared);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void memoryPerKeyIsBoundedByMaxRequests() {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Duration w = Duration.ofMinutes(5);
        for (int i = 0; i < 10; i++) {
            t.tryAcquire("big", 1000, w, 100);
        }
        assertFalse(t.tryAcquire("big", 1000, w, 1).allowed());
        assertEquals(":1000", server.command("LLEN", "crew:t1:ratelimit:big"));
        long bytes = Long.parseLong(server.command("MEMORY", "USAGE", "crew:t1:ratelimit:big", "SAMPLES", "0")
                .substring(1).trim());
        assertTrue(bytes < 1000 * 12 + 512, "MEMORY USAGE " + bytes + " bytes for 1000 timestamps");
        String first = server.command("LINDEX", "crew:t1:ratelimit:big", "0");
        assertTrue(first.matches("\\d{16}"), "timestamps are integer microseconds: " + first);
    }
}
