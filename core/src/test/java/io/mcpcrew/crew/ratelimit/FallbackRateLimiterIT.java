package io.mcpcrew.crew.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rate limiter contract while the redis-server is stopped: with {@code redis.crew.ratelimit.fallback=local} (the
 * default) each node decides with its own exact sliding window over its share of the limit (the limit divided by
 * {@code fallback.nodes}), and says so ({@link DecidedBy#LOCAL_FALLBACK}). Also what the other
 * {@link FallbackMode}s promise, and the return to Redis.
 */
@ExtendWith(RedisServerExtension.class)
class FallbackRateLimiterIT extends RateLimiterContract {
    private RedisServer server;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.stop();
    }

    @Override
    public RedisRateLimiter limiter(Map<String, String> extra) {
        return new RedisRateLimiter(redisManager(Map.of("redis.crew.host", server.host(), "redis.crew.port",
                String.valueOf(server.port()), "redis.crew.connect-timeout", "500ms"), extra));
    }

    @Override
    public DecidedBy decider() {
        return DecidedBy.LOCAL_FALLBACK;
    }

    @Override
    public boolean serverTime() {
        return false;
    }

    @Override
    public Stored stored() {
        return null;
    }

    /** A reset needs Redis: while it is down the call fails, and what this node counted is kept, not pretended gone. */
    @Test
    @Override
    void resetStartsTheWindowEmpty() {
        RedisRateLimiter limiter = alphaExhaustedBetaNot();
        assertThrows(RedisUnavailableException.class, () -> limiter.forTenant("alpha").reset("r"));
        assertFalse(limiter.forTenant("alpha").checkLimit("r", 1, MINUTE), "nothing was reset");
    }

    /** Stored policies need Redis: while it is down storing one fails, and the configured policies apply. */
    @Test
    @Override
    void policiesComeFromOverridesThenConfigThenCallerDefaultThenDefault() {
        RedisRateLimiter limiter = limiter(Map.of("redis.crew.ratelimit.uploads.max-requests", "3",
                "redis.crew.ratelimit.uploads.window", "10s"));
        assertThrows(RedisUnavailableException.class,
                () -> limiter.setPolicy("t1", "uploads", RateLimitPolicy.of(1, Duration.ofSeconds(30))));
        assertEquals(RateLimitPolicy.of(3, Duration.ofSeconds(10)), limiter.policy("t1", "uploads"));
        RateLimitDecision d = limiter.forTenant("t1").tryAcquire("uploads", 1);
        assertEquals(DecidedBy.LOCAL_FALLBACK, d.decidedBy());
        assertEquals(3, d.limit());
    }

    @Test
    void localFallbackCountsThisNodesShareWhileRedisIsDown() throws Exception {
        server.start();
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

    /** The three modes for a policy of several limits, and the return to Redis (local states are dropped). */
    @Test
    void quotasKeepTheThreeModesWhileRedisIsDown() throws Exception {
        server.start();
        Quota q = Quota.of(Limit.tokenBucket("rpd", LimitUnit.REQUESTS, 10, Duration.ofDays(1)),
                Limit.tokenBucket("tpd", LimitUnit.TOKENS, 1000, Duration.ofDays(1)));
        Map<String, String> twoNodes = Map.of("redis.crew.ratelimit.fallback.nodes", "2");
        TenantRateLimiter local = limiter(twoNodes).forTenant("t1");
        TenantRateLimiter open = limiter(Map.of("redis.crew.ratelimit.fallback", "fail-open")).forTenant("t1");
        TenantRateLimiter closed = limiter(Map.of("redis.crew.ratelimit.fallback", "fail-closed")).forTenant("t1");
        assertEquals(DecidedBy.REDIS, local.consume("m", q, 100).decidedBy());
        server.stop();
        QuotaDecision o = open.consume("m", q, 100);
        assertTrue(o.allowed());
        assertEquals(DecidedBy.FAIL_OPEN, o.decidedBy());
        assertEquals(900, o.limit("tpd").remaining());
        QuotaDecision c = closed.consume("m", q, 100);
        assertFalse(c.allowed());
        assertEquals(DecidedBy.FAIL_CLOSED, c.decidedBy());
        assertEquals("rpd", c.refusedBy());
        assertTrue(c.retryAfter().compareTo(Duration.ZERO) > 0);
        // local: this node's share, 5 requests and 500 tokens
        for (int i = 0; i < 5; i++) {
            QuotaDecision d = local.consume("m", q, 90);
            assertTrue(d.allowed(), "check " + i + ": " + d);
            assertEquals(DecidedBy.LOCAL_FALLBACK, d.decidedBy());
        }
        QuotaDecision refused = local.consume("m", q, 10);
        assertFalse(refused.allowed());
        assertEquals("rpd", refused.refusedBy(), "5 requests is the share of one of two nodes");
        assertEquals(50, refused.limit("tpd").remaining());
        assertEquals(450, local.adjust("m", q, -400).limit("tpd").remaining(), "adjust applies to the local state");
        server.start();
        QuotaDecision back = await(() -> local.consume("m", q, 100), d -> d.decidedBy() == DecidedBy.REDIS);
        assertEquals(9, back.limit("rpd").remaining(), "Redis is the truth again: local counts are not carried over");
        assertEquals(900, back.limit("tpd").remaining());
    }

    /**
     * While Redis is down the usage is this node's share as the local fallback counted it (not what Redis holds), or,
     * failing open or closed, nothing counted; back on Redis it is Redis' count again.
     */
    @Test
    void usageWhileRedisIsDownComesFromTheFallbackAndSaysSo() throws Exception {
        server.start();
        Quota q = Quota.of(Limit.tokenBucket("rpd", LimitUnit.REQUESTS, 10, Duration.ofDays(1)),
                Limit.slidingCounter("tpd", LimitUnit.TOKENS, 1000, Duration.ofDays(1)));
        Quota log = Quota.of(Limit.exactLog("log", LimitUnit.TOKENS, 10, Duration.ofHours(1)));
        TenantRateLimiter local = limiter(Map.of("redis.crew.ratelimit.fallback.nodes", "2")).forTenant("t1");
        TenantRateLimiter open = limiter(Map.of("redis.crew.ratelimit.fallback", "fail-open")).forTenant("t1");
        TenantRateLimiter closed = limiter(Map.of("redis.crew.ratelimit.fallback", "fail-closed")).forTenant("t1");
        assertTrue(local.consume("m", q, 300).allowed());
        assertTrue(local.consume("log", log, 4).allowed());
        assertEquals(DecidedBy.REDIS, local.usage("m", q).decidedBy());
        server.stop();
        QuotaUsage before = local.usage("m", q);
        assertEquals(DecidedBy.LOCAL_FALLBACK, before.decidedBy());
        assertEquals(List.of(0L, 0L), before.limits().stream().map(LimitUsage::used).toList(),
                "this node counted nothing yet: what Redis holds is not known here");
        assertEquals(5, before.limit("rpd").limit().max(), "the share of one node of two");
        assertTrue(local.consume("m", q, 120).allowed());
        assertTrue(local.consume("log", log, 2).allowed());
        QuotaUsage u = local.usage("m", q);
        assertEquals(DecidedBy.LOCAL_FALLBACK, u.decidedBy());
        assertEquals(1, u.limit("rpd").used());
        assertEquals(4, u.limit("rpd").remaining());
        assertEquals(120, u.limit("tpd").used());
        assertEquals(380, u.limit("tpd").remaining());
        QuotaUsage l = local.usage("log", log);
        assertEquals(DecidedBy.LOCAL_FALLBACK, l.decidedBy());
        assertEquals(2, l.limit("log").used());
        assertEquals(3, l.limit("log").remaining(), "10 over 2 nodes, 2 used");

        QuotaUsage o = open.usage("m", q);
        assertEquals(DecidedBy.FAIL_OPEN, o.decidedBy());
        assertEquals(List.of(0L, 0L), o.limits().stream().map(LimitUsage::used).toList());
        assertEquals(1000, o.limit("tpd").remaining());
        assertTrue(o.limit("tpd").admits());
        QuotaUsage c = closed.usage("m", q);
        assertEquals(DecidedBy.FAIL_CLOSED, c.decidedBy());
        assertEquals(0, c.limit("tpd").remaining());
        assertTrue(c.limit("tpd").retryAfter().compareTo(Duration.ZERO) > 0);

        server.start();
        QuotaUsage back = await(() -> local.usage("m", q), x -> x.decidedBy() == DecidedBy.REDIS);
        assertEquals(List.of(0L, 0L), back.limits().stream().map(LimitUsage::used).toList(),
                "Redis' count again (the restarted server holds nothing): what was admitted locally is not carried over");
        assertTrue(local.consume("m", q, 7).allowed());
        assertEquals(List.of(1L, 7L), local.usage("m", q).limits().stream().map(LimitUsage::used).toList());
        assertEquals(0, local.usage("log", log).limit("log").used());
    }

    @Test
    void failOpenAndFailClosedSayWhoDecided() {
        server.start();
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
}
