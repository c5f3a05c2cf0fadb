package io.mcpcrew.crew.ratelimit;

import static io.mcpcrew.crew.ratelimit.RateLimiterContract.micros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The part of {@link QuotaContract} that needs Redis, run by the Redis topologies (standalone, Cluster, Sentinel) and
 * not by the fallback: the state a quota keeps in Redis, and a reset (while Redis is down a reset is refused, see
 * {@link FallbackRateLimiterIT}).
 */
interface StoredQuotaContract extends QuotaContract {
    /** A 1,000,000-tokens-per-minute budget under checks of any cost keeps a small, constant state. */
    @ParameterizedTest
    @EnumSource(names = {"TOKEN_BUCKET", "SLIDING_COUNTER"})
    default void stateIsConstantInTheCostAndSmall(LimitAlgorithm a) {
        RateLimiterContract.Stored redis = stored();
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Quota q = Quota.of(QuotaContract.limit(a, "tpm", LimitUnit.TOKENS, 1_000_000, Duration.ofMinutes(1)));
        String key = "crew:t1:ratelimit:{t1.m}:q";
        long largest = 0;
        for (long cost : new long[] {1, 100_000, 7, 250_000, 1, 99_999}) {
            t.consume("m", q, cost);
            largest = Math.max(largest, Long.parseLong(redis.command("MEMORY", "USAGE", key, "SAMPLES", "0").substring(1).trim()));
        }
        assertTrue(largest <= 200, "MEMORY USAGE " + largest + " bytes");
        assertEquals(":4", redis.command("HLEN", key).trim(), "t, e and the limit's two fields");
    }

    @ParameterizedTest
    @EnumSource(names = {"TOKEN_BUCKET", "SLIDING_COUNTER"})
    default void resetForgetsWhatWasCounted(LimitAlgorithm a) {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Quota q = Quota.of(QuotaContract.limit(a, "tpd", LimitUnit.TOKENS, 5, DAY));
        assertTrue(t.consume("r", q, 5).allowed());
        assertFalse(t.consume("r", q, 1).allowed());
        t.reset("r");
        assertEquals(5 - 3, t.consume("r", q, 3).limit("tpd").remaining());
    }
}
