package io.mcpcrew.crew.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.redis.InvalidInputException;
import io.mcpcrew.crew.redis.InvalidNameException;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.TestManagers;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RedisRateLimiter against a real, private redis-server (and one test against a three-master Cluster). */
@ExtendWith(RedisServerExtension.class)
class RedisRateLimiterIT {
    private RedisServer server;
    private TestManagers managers;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        this.managers = new TestManagers(server);
        server.ensureRunningAndEmpty();
    }

    @AfterEach
    void tearDown() {
        managers.close();
    }

    private JedisRedisManager manager(Map<String, String> extra) {
        return managers.open(extra);
    }

    private RedisRateLimiter limiter(Map<String, String> extra) {
        return new RedisRateLimiter(manager(extra));
    }

    private static long micros(Instant i) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, i);
    }

    @Test
    void admitsUpToTheLimitThenRefusesWithExactRemainingResetAndRetry() {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Duration window = Duration.ofSeconds(30);
        RateLimitDecision first = t.tryAcquire("api", 3, window);
        assertTrue(first.allowed());
        assertEquals(DecidedBy.REDIS, first.decidedBy());
        assertEquals(2, first.remaining());
        assertEquals(3, first.limit());
        assertEquals(window, first.resetAfter(), "the only unit leaves the window one window from now");
        assertEquals(Duration.ZERO, first.retryAfter());
        RateLimitDecision second = t.tryAcquire("api", 3, window);
        assertEquals(1, second.remaining());
        assertTrue(t.checkLimit("api", 3, window));
        RateLimitDecision denied = t.tryAcquire("api", 3, window);
        assertFalse(denied.allowed());
        assertEquals(0, denied.remaining());
        long expected = micros(first.decidedAt()) + window.toNanos() / 1000 - micros(denied.decidedAt());
        assertEquals(expected, denied.retryAfter().toNanos() / 1000, "retryAfter = oldest + window - now");
        assertEquals(expected, denied.resetAfter().toNanos() / 1000);
        assertTrue(denied.retryAfter().compareTo(Duration.ZERO) > 0 && denied.retryAfter().compareTo(window) < 0);
        assertFalse(t.checkLimit("api", 3, window));
        assertEquals(List.of("crew:t1:ratelimit:api"), server.scanKeys("crew:t1:ratelimit:*"));
        assertEquals(":3", server.command("LLEN", "crew:t1:ratelimit:api"), "a refusal is not counted");
        long ttl = server.ttl("crew:t1:ratelimit:api");
        assertTrue(ttl >= 29 && ttl <= 90, "ttl from one to three windows: " + ttl);
    }

    @Test
    void costCountsUnitsAndRetryAfterWaitsForEnoughUnits() {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Duration window = Duration.ofSeconds(60);
        RateLimitDecision a = t.tryAcquire("tokens", 10, window, 4);
        assertTrue(a.allowed());
        assertEquals(6, a.remaining());
        RateLimitDecision b = t.tryAcquire("tokens", 10, window, 4);
        assertTrue(b.allowed());
        assertEquals(2, b.remaining());
        RateLimitDecision c = t.tryAcquire("tokens", 10, window, 4);
        assertFalse(c.allowed());
        assertEquals(2, c.remaining());
        // 2 more units must leave: the 2 oldest are both from request a
        assertEquals(micros(a.decidedAt()) + 60_000_000L - micros(c.decidedAt()), c.retryAfter().toNanos() / 1000);
        RateLimitDecision d = t.tryAcquire("tokens", 10, window, 7);
        assertFalse(d.allowed());
        // 5 more units must leave: 4 from a, then the 5th oldest is from b
        assertEquals(micros(b.decidedAt()) + 60_000_000L - micros(d.decidedAt()), d.retryAfter().toNanos() / 1000);
        RateLimitDecision e = t.tryAcquire("tokens", 10, window, 2);
        assertTrue(e.allowed());
        assertEquals(0, e.remaining());
        assertEquals(":10", server.command("LLEN", "crew:t1:ratelimit:tokens"), "memory bounded by maxRequests");
        assertEquals(micros(a.decidedAt()) + 60_000_000L - micros(e.decidedAt()), e.resetAfter().toNanos() / 1000);
    }

    @Test
    void unitsLeaveTheWindowAndTheKeyExpires() throws Exception {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Duration window = Duration.ofMillis(300);
        List<Long> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RateLimitDecision d = t.tryAcquire("burst", 5, window);
            assertTrue(d.allowed());
            burst.add(micros(d.decidedAt()));
        }
        RateLimitDecision denied = t.tryAcquire("burst", 5, window);
        assertFalse(denied.allowed());
        RateLimitDecision later = await(() -> t.tryAcquire("burst", 5, window), RateLimitDecision::allowed);
        assertTrue(micros(later.decidedAt()) >= micros(denied.decidedAt()) + denied.retryAfter().toNanos() / 1000,
                "admitted no earlier than retryAfter said");
        long floor = micros(later.decidedAt()) - window.toNanos() / 1000;
        long stillCounted = burst.stream().filter(ts -> ts > floor).count();
        assertEquals(5 - 1 - stillCounted, later.remaining(), "units left the window exactly at ts + window");
        await(() -> server.command("EXISTS", "crew:t1:ratelimit:burst"), ":0"::equals);
    }

    @Test
    void exactUnderConcurrencyAcrossTwoNodesAndEightThreads() throws Exception {
        RedisRateLimiter nodeA = limiter(Map.of());
        RedisRateLimiter nodeB = limiter(Map.of());
        int limit = 25;
        Duration window = Duration.ofMillis(150);
        long windowMicros = window.toNanos() / 1000;
        ConcurrentLinkedQueue<long[]> admitted = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
        List<Throwable> errors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            TenantRateLimiter t = (i % 2 == 0 ? nodeA : nodeB).forTenant("hot");
            Thread th = new Thread(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                try {
                    while (System.nanoTime() < until) {
                        int cost = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 1;
                        RateLimitDecision d = t.tryAcquire("shared", limit, window, cost);
                        assertEquals(DecidedBy.REDIS, d.decidedBy());
                        if (d.allowed()) {
                            admitted.add(new long[] {micros(d.decidedAt()), cost});
                        } else {
                            refused.incrementAndGet();
                        }
                        if (rnd.nextInt(3) == 0) {
                            Thread.sleep(rnd.nextInt(4));
                        }
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(60_000);
        }
        assertTrue(errors.isEmpty(), () -> "worker failed: " + errors.get(0));
        List<Long> units = new ArrayList<>();
        for (long[] a : admitted) {
            for (int i = 0; i < a[1]; i++) {
                units.add(a[0]);
            }
        }
        units.sort(null);
        assertTrue(refused.get() > 0, "the load must exceed the limit for the test to mean anything");
        assertTrue(units.size() > 2 * limit, "admitted " + units.size() + " units: the window must have slid");
        for (int i = 0; i + limit < units.size(); i++) {
            long span = units.get(i + limit) - units.get(i);
            int first = i;
            assertTrue(span >= windowMicros, () -> (limit + 1) + " units admitted within " + span + "µs (< window "
                    + windowMicros + "µs) starting at unit " + first);
        }
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
    void tenantsAndResourcesAreCountedSeparately() {
        RedisRateLimiter limiter = limiter(Map.of());
        Duration w = Duration.ofSeconds(60);
        assertTrue(limiter.forTenant("alpha").checkLimit("r", 1, w));
        assertFalse(limiter.forTenant("alpha").checkLimit("r", 1, w));
        assertTrue(limiter.forTenant("beta").checkLimit("r", 1, w));
        assertTrue(limiter.forTenant("alpha").checkLimit("other", 1, w));
        assertEquals(List.of("crew:alpha:ratelimit:r"), server.scanKeys("crew:alpha:ratelimit:r*"));
        assertEquals(List.of("crew:beta:ratelimit:r"), server.scanKeys("crew:beta:ratelimit:*"));
        limiter.forTenant("alpha").reset("r");
        assertTrue(limiter.forTenant("alpha").checkLimit("r", 1, w));
    }

    @Test
    void badInputIsRefusedWithTheValueAndTheRule() {
        RedisRateLimiter limiter = limiter(Map.of("redis.crew.ratelimit.max-requests-ceiling", "1000",
                "redis.crew.ratelimit.window-ceiling", "10m"));
        TenantRateLimiter t = limiter.forTenant("t1");
        Duration w = Duration.ofSeconds(1);
        assertMessage(InvalidInputException.class, "maxRequests 0", () -> t.tryAcquire("r", 0, w));
        assertMessage(InvalidInputException.class, "maxRequests -3", () -> t.tryAcquire("r", -3, w));
        assertMessage(InvalidInputException.class, "maxRequests 1001", () -> t.tryAcquire("r", 1001, w));
        assertMessage(InvalidInputException.class, "window 0s", () -> t.tryAcquire("r", 5, Duration.ZERO));
        assertMessage(InvalidInputException.class, "window 601s", () -> t.tryAcquire("r", 5, Duration.ofSeconds(601)));
        assertMessage(InvalidInputException.class, "cost 0", () -> t.tryAcquire("r", 5, w, 0));
        assertMessage(InvalidInputException.class, "cost 6", () -> t.tryAcquire("r", 5, w, 6));
        assertMessage(InvalidNameException.class, "resource \"a:b\"", () -> t.tryAcquire("a:b", 5, w));
        assertMessage(InvalidNameException.class, "tenant id \"t 1\"", () -> limiter.forTenant("t 1"));
        assertMessage(InvalidNameException.class, "tenant id null", () -> limiter.forTenant(null));
        assertMessage(InvalidNameException.class, "resource null", () -> t.tryAcquire(null, 5, w));
        assertMessage(InvalidNameException.class, "resource null", () -> limiter.policy("t1", null));
        assertEquals(List.of(), server.scanKeys("crew:*"));
    }

    @Test
    void policiesComeFromOverridesThenConfigThenCallerDefaultThenDefault() {
        RedisRateLimiter limiter = limiter(Map.of("redis.crew.ratelimit.default.max-requests", "7",
                "redis.crew.ratelimit.default.window", "2m", "redis.crew.ratelimit.uploads.max-requests", "3",
                "redis.crew.ratelimit.uploads.window", "10s"));
        RateLimitPolicy caller = RateLimitPolicy.of(50, Duration.ofSeconds(5));
        assertEquals(RateLimitPolicy.of(7, Duration.ofMinutes(2)), limiter.policy("t1", "other"));
        assertEquals(caller, limiter.policy("t1", "other", caller));
        assertEquals(RateLimitPolicy.of(3, Duration.ofSeconds(10)), limiter.policy("t1", "uploads", caller));
        limiter.setPolicy("t1", "uploads", RateLimitPolicy.of(1, Duration.ofSeconds(30)));
        assertEquals(RateLimitPolicy.of(1, Duration.ofSeconds(30)), limiter.policy("t1", "uploads", caller));
        assertEquals(RateLimitPolicy.of(3, Duration.ofSeconds(10)), limiter.policy("t2", "uploads"), "per tenant");
        TenantRateLimiter t1 = limiter.forTenant("t1");
        assertTrue(t1.tryAcquire("uploads", 1).allowed());
        RateLimitDecision d = t1.tryAcquire("uploads", 1);
        assertFalse(d.allowed());
        assertEquals(1, d.limit());
        assertTrue(limiter.clearPolicy("t1", "uploads"));
        assertFalse(limiter.clearPolicy("t1", "uploads"));
        assertEquals(3, t1.policy("uploads").maxRequests());
        assertThrows(InvalidInputException.class, () -> limiter.setPolicy("t1", "x", RateLimitPolicy.of(1_000_000,
                Duration.ofSeconds(1))));
        assertThrows(InvalidInputException.class, () -> RateLimitPolicy.of(0, Duration.ofSeconds(1)));
    }

    @Test
    void configurationErrorsNameTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> limiter(Map.of("redis.crew.ratelimit.window-ceiling", "2h")));
        assertTrue(e.getMessage().contains("redis.crew.ratelimit.window-ceiling"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> limiter(Map.of("redis.crew.ratelimit.fallback", "maybe")));
        assertTrue(e.getMessage().contains("fail-open") || e.getMessage().contains("fail_open"), e.getMessage());
        RedisRateLimiter l = limiter(Map.of("redis.crew.ratelimit.slow.window", "3h"));
        e = assertThrows(ConfigurationException.class, () -> l.policy("t1", "slow"));
        assertTrue(e.getMessage().contains("redis.crew.ratelimit.slow.window"), e.getMessage());
    }

    @Test
    void localFallbackCountsThisNodesShareWhileRedisIsDown() throws Exception {
        RedisRateLimiter limiter = limiter(Map.of("redis.crew.ratelimit.fallback", "local",
                "redis.crew.ratelimit.fallback.nodes", "2"));
        TenantRateLimiter t = limiter.forTenant("t1");
        Duration w = Duration.ofMinutes(1);
        assertEquals(DecidedBy.REDIS, t.tryAcquire("r", 10, w).decidedBy());
        server.stop();
        List<RateLimitDecision> ds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ds.add(t.tryAcquire("r", 10, w));
        }
        for (int i = 0; i < 5; i++) {
            assertTrue(ds.get(i).allowed(), "decision " + i + ": " + ds.get(i));
            assertEquals(DecidedBy.LOCAL_FALLBACK, ds.get(i).decidedBy());
            assertEquals(5, ds.get(i).limit(), "10 over 2 nodes");
            assertEquals(4 - i, ds.get(i).remaining());
        }
        assertFalse(ds.get(5).allowed());
        assertEquals(DecidedBy.LOCAL_FALLBACK, ds.get(5).decidedBy());
        assertTrue(ds.get(5).retryAfter().compareTo(Duration.ZERO) > 0);
        assertTrue(limiter.forTenant("t2").tryAcquire("r", 10, w).allowed(), "fallback is per tenant too");
        server.start();
        RateLimitDecision back = await(() -> t.tryAcquire("r", 10, w), d -> d.decidedBy() == DecidedBy.REDIS);
        assertTrue(back.allowed());
        assertEquals(9, back.remaining(), "Redis is the truth again: local counts are not carried over");
    }

    @Test
    void failOpenAndFailClosedSayWhoDecided() {
        TenantRateLimiter open = limiter(Map.of("redis.crew.ratelimit.fallback", "fail-open")).forTenant("t1");
        TenantRateLimiter closed = limiter(Map.of("redis.crew.ratelimit.fallback", "fail-closed")).forTenant("t1");
        TenantRateLimiter strict = limiter(Map.of("redis.crew.fallback.enabled", "false")).forTenant("t1");
        Duration w = Duration.ofMinutes(1);
        assertTrue(open.tryAcquire("r", 1, w).allowed());
        server.stop();
        for (int i = 0; i < 5; i++) {
            RateLimitDecision o = open.tryAcquire("r", 1, w);
            assertTrue(o.allowed());
            assertEquals(DecidedBy.FAIL_OPEN, o.decidedBy());
            RateLimitDecision c = closed.tryAcquire("r", 1, w);
            assertFalse(c.allowed());
            assertEquals(DecidedBy.FAIL_CLOSED, c.decidedBy());
            assertTrue(c.retryAfter().compareTo(Duration.ZERO) > 0);
            assertThrows(RedisUnavailableException.class, () -> strict.tryAcquire("r", 1, w),
                    "redis.crew.fallback.enabled=false: the caller sees Redis down");
        }
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
        long[] before = m.coalescedBatchesAndCommands();
        int[] limits = {30, 50, 70};
        AtomicInteger[] admitted = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            int id = i;
            Thread th = new Thread(() -> {
                try {
                    for (int k = 0; k < 60; k++) {
                        int p = (id + k) % 3; // threads switch policies, so runs mix equal and different arguments
                        if (t.tryAcquire("p" + p, limits[p], Duration.ofSeconds(60), 1).allowed()) {
                            admitted[p].incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(60_000);
        }
        assertEquals(List.of(), errors);
        for (int p = 0; p < 3; p++) {
            assertEquals(limits[p], admitted[p].get(), "resource p" + p + " admits exactly its own limit");
            assertEquals(":" + limits[p], server.command("LLEN", "crew:mixed:ratelimit:p" + p));
        }
        long[] after = m.coalescedBatchesAndCommands();
        assertTrue(after[1] - before[1] > after[0] - before[0], "some checks shared a round trip");
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

    @Test
    void runsOnRedisCluster(RedisCluster cluster) {
        try (JedisRedisManager m = new JedisRedisManager(io.mcpcrew.crew.config.RedisCrewConfig.load(Map.of(
                "redis.crew.mode", "cluster", "redis.crew.nodes", cluster.nodesSpec())), null)) {
            RedisRateLimiter limiter = new RedisRateLimiter(m);
            Duration w = Duration.ofMinutes(1);
            for (String tenant : List.of("a", "b", "c", "d", "e", "f")) {
                TenantRateLimiter t = limiter.forTenant(tenant);
                for (String resource : List.of("x", "y", "z")) {
                    assertEquals(1, t.tryAcquire(resource, 2, w).remaining());
                    assertEquals(0, t.tryAcquire(resource, 2, w).remaining());
                    RateLimitDecision d = t.tryAcquire(resource, 2, w);
                    assertFalse(d.allowed());
                    assertEquals(DecidedBy.REDIS, d.decidedBy());
                }
            }
        }
        int keys = 0;
        for (RedisServer node : cluster.nodes()) {
            keys += node.scanKeys("crew:*:ratelimit:*").size();
        }
        assertEquals(18, keys);
    }

    private static void assertMessage(Class<? extends Throwable> type, String fragment, Runnable r) {
        Throwable e = assertThrows(type, r::run);
        assertTrue(e.getMessage().contains(fragment), "message should contain " + fragment + ": " + e.getMessage());
    }

    private static <T> T await(Supplier<T> s, java.util.function.Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = s.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                // Redis coming back: try again
            }
            Thread.sleep(20);
        }
        throw new AssertionError("condition not reached in 20 s, last: " + last);
    }
}
