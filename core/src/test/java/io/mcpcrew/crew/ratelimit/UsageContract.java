package io.mcpcrew.crew.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.validation.InvalidNameException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The usage of a resource ({@link TenantRateLimiter#usage}) on every backend, per algorithm: Redis standalone,
 * Cluster, Sentinel and the local fallback each run it (through {@link RateLimiterContract}). Windows are long (an
 * hour for the exact log, whose ceiling that is; a day otherwise) so that nothing counted leaves them during a test:
 * then the exact log and the token bucket report exactly what was consumed, and so does the sliding counter (its
 * estimate weighs the previous window by the part of it still in the sliding window, which for units a few
 * milliseconds old rounds up to all of them, also across a window boundary).
 */
interface UsageContract {
    Duration HOUR = Duration.ofHours(1);

    RedisRateLimiter limiter(Map<String, String> extra);

    DecidedBy decider();

    RateLimiterContract.Stored stored();

    /** One limit {@code name} of {@code max} tokens per hour (exact log) or per day. */
    static Quota one(LimitAlgorithm a, String name, long max) {
        return Quota.of(new Limit(name, LimitUnit.TOKENS, a, max, a == LimitAlgorithm.EXACT_LOG ? HOUR : QuotaContract.DAY,
                max));
    }

    @ParameterizedTest
    @EnumSource(LimitAlgorithm.class)
    default void beforeAnyCheckNothingIsUsedAndTheReadWritesNothing(LimitAlgorithm a) {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        QuotaUsage u = t.usage("llm", one(a, "llm", 5));
        assertEquals("llm", u.resource());
        assertEquals(decider(), u.decidedBy());
        LimitUsage l = u.limit("llm");
        assertEquals(0, l.used());
        assertEquals(5, l.remaining());
        assertEquals(Duration.ZERO, l.resetAfter());
        assertEquals(Duration.ZERO, l.retryAfter());
        assertTrue(l.admits());
        RateLimiterContract.Stored redis = stored();
        if (redis != null) {
            assertEquals(List.of(), redis.keys("crew:t1:*"), "a read creates no key");
        }
    }

    /**
     * After consuming N the usage says N used; a hundred reads consume nothing, so the check that takes the last
     * unit is still admitted, and then the usage says the limit is exhausted and when it admits again.
     */
    @ParameterizedTest
    @EnumSource(LimitAlgorithm.class)
    default void afterConsumingItReportsWhatWasUsedAndReadsConsumeNothing(LimitAlgorithm a) {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Quota q = one(a, "llm", 5);
        assertTrue(t.consume("llm", q, 3).allowed());
        assertTrue(t.consume("llm", q, 1).allowed());
        for (int i = 0; i < 100; i++) {
            QuotaUsage u = t.usage("llm", q);
            assertEquals(decider(), u.decidedBy());
            assertEquals(4, u.limit("llm").used(), "read " + i);
            assertEquals(1, u.limit("llm").remaining(), "read " + i);
            assertTrue(u.limit("llm").admits());
            assertTrue(u.limit("llm").resetAfter().compareTo(Duration.ZERO) > 0);
        }
        assertTrue(t.consume("llm", q, 1).allowed(), "a hundred reads consumed nothing");
        LimitUsage full = t.usage("llm", q).limit("llm");
        assertEquals(5, full.used());
        assertEquals(0, full.remaining());
        assertFalse(full.admits());
        assertTrue(full.retryAfter().compareTo(Duration.ZERO) > 0);
        assertTrue(full.retryAfter().compareTo(full.resetAfter()) <= 0, "one unit frees up no later than all: " + full);
        assertFalse(t.consume("llm", q, 1).allowed());
        assertEquals(5, t.usage("llm", q).limit("llm").used(), "the refusal counted nothing");
    }

    /** The effective policy (configured here, so that every backend has it) of several limits: each is reported. */
    @ParameterizedTest
    @EnumSource(names = {"TOKEN_BUCKET", "SLIDING_COUNTER"})
    default void aPolicyOfSeveralLimitsReportsEveryLimit(LimitAlgorithm a) {
        String algorithm = a.text();
        TenantRateLimiter t = limiter(Map.of("redis.crew.ratelimit.gpt.limits", "rpd=3/1d requests " + algorithm
                + ", tpd=100/1d tokens " + algorithm + ", tph=60/1h tokens " + algorithm)).forTenant("t1");
        QuotaUsage before = t.usage("gpt");
        assertEquals(List.of("rpd", "tpd", "tph"), before.limits().stream().map(l -> l.limit().name()).toList());
        assertEquals(List.of(0L, 0L, 0L), used(before));
        assertTrue(t.consume("gpt", 40).allowed());
        assertTrue(t.consume("gpt", 15).allowed());
        assertFalse(t.consume("gpt", 10).allowed(), "tph holds 5 more only");
        QuotaUsage u = t.usage("gpt");
        assertEquals(decider(), u.decidedBy());
        assertEquals(List.of(2L, 55L, 55L), used(u), "a request limit counts checks, a token limit their cost");
        assertEquals(List.of(1L, 45L, 5L), u.limits().stream().map(LimitUsage::remaining).toList());
        for (LimitUsage l : u.limits()) {
            assertEquals(l.limit().capacity(), l.used() + l.remaining(), l.toString());
            assertTrue(l.admits(), l.toString());
        }
        assertTrue(t.consume("gpt", 5).allowed());
        QuotaUsage exhausted = t.usage("gpt");
        assertEquals(List.of(3L, 60L, 60L), used(exhausted));
        assertFalse(exhausted.limit("rpd").admits());
        assertTrue(exhausted.limit("tpd").admits());
        assertFalse(exhausted.limit("tph").admits());
    }

    @ParameterizedTest
    @EnumSource(LimitAlgorithm.class)
    default void aBadResourceNameIsRefusedWithItsRule(LimitAlgorithm a) {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        RateLimiterContract.assertMessage(InvalidNameException.class, "resource", () -> t.usage("bad:name", one(a, "x", 5)));
        RateLimiterContract.assertMessage(InvalidNameException.class, "resource", () -> t.usage("a b"));
    }

    private static List<Long> used(QuotaUsage u) {
        return u.limits().stream().map(LimitUsage::used).toList();
    }
}
