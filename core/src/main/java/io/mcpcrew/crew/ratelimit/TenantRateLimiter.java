package io.mcpcrew.crew.ratelimit;

import java.time.Duration;

/**
 * A {@link RateLimiter} bound to one tenant: every resource name is counted separately per tenant. Thread-safe;
 * obtain it with {@link RateLimiter#forTenant} (cheap: instances are cached).
 *
 * <p>Bad input — a resource outside {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}, {@code maxRequests} not in
 * 1..ceiling, a window under 1 ms or over the ceiling, a cost not in 1..maxRequests (for a quota: more than a
 * limit counting tokens can ever admit) — throws {@link io.mcpcrew.crew.validation.InvalidInputException}. While
 * Redis is unreachable the configured {@link FallbackMode} decides; the decision's {@code decidedBy()} says so.
 */
public interface TenantRateLimiter {

    /** The tenant this limiter counts for. */
    String tenant();

    /** {@code tryAcquire(resource, maxRequests, window).allowed()}: admits and counts one request, or says no. */
    default boolean checkLimit(String resource, int maxRequests, Duration window) {
        return tryAcquire(resource, maxRequests, window, 1).allowed();
    }

    /** Admits and counts one request if fewer than {@code maxRequests} were admitted in the last {@code window}. */
    default RateLimitDecision tryAcquire(String resource, int maxRequests, Duration window) {
        return tryAcquire(resource, maxRequests, window, 1);
    }

    /** The exact log: admits and counts a request of {@code cost} units if the window still holds them. */
    RateLimitDecision tryAcquire(String resource, int maxRequests, Duration window, int cost);

    /**
     * {@link #consume(String, long)} summed up as a single-limit decision by the limit that binds
     * ({@link QuotaDecision#toRateLimitDecision()}); for an exact-log policy exactly its decision.
     */
    default RateLimitDecision tryAcquire(String resource, int cost) {
        return consume(resource, cost).toRateLimitDecision();
    }

    /** Checks {@code cost} against this tenant's effective policy of {@code resource} ({@link #quota}). */
    default QuotaDecision consume(String resource, long cost) {
        return consume(resource, quota(resource), cost);
    }

    /**
     * One check of every limit of {@code quota}, all or nothing, in one round trip: admitted only if every limit
     * admits it (a {@link LimitUnit#REQUESTS} limit consumes 1, a {@link LimitUnit#TOKENS} limit {@code cost}), and
     * then consumed from every one; refused, nothing is consumed and the decision names the limit to wait for.
     */
    QuotaDecision consume(String resource, Quota quota, long cost);

    /** {@link #adjust(String, Quota, long)} with this tenant's effective policy. */
    default QuotaDecision adjust(String resource, long delta) {
        return adjust(resource, quota(resource), delta);
    }

    /**
     * Corrects what checks consumed, in the windows in force now, atomically: every {@link LimitUnit#TOKENS} limit
     * of {@code quota} gets {@code delta} more units counted (negative: given back; never below nothing counted,
     * and at most one more burst or max of debt). E.g. a check consumed an estimate of 1,200 tokens and the call
     * used 950: {@code adjust(resource, -250)}. Needs token-bucket or sliding-counter limits.
     */
    QuotaDecision adjust(String resource, Quota quota, long delta);

    /** {@link #usage(String, Quota)} of this tenant's effective policy of {@code resource} ({@link #quota}). */
    default QuotaUsage usage(String resource) {
        return usage(resource, quota(resource));
    }

    /**
     * What every limit of {@code quota} counts now for {@code resource}: used, remaining, when it resets and when it
     * admits one more unit. Read only: consumes nothing and writes nothing (on Redis one EVALSHA of a script
     * declared {@code no-writes}; expired entries are computed around, not pruned), so a check after any number of
     * reads is decided as if there had been none. While Redis is unreachable the configured {@link FallbackMode}
     * answers from this node's state and {@link QuotaUsage#decidedBy()} says so.
     */
    QuotaUsage usage(String resource, Quota quota);

    /** This tenant's effective policy of {@code resource} (see {@link RateLimiter#quota}). */
    Quota quota(String resource);

    /** This tenant's effective policy as the exact log it is (see {@link RateLimiter#policy}). */
    RateLimitPolicy policy(String resource);

    /** Forgets everything counted for {@code resource} (its windows and buckets start empty). */
    void reset(String resource);
}
