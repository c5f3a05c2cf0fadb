package io.mcpcrew.crew.ratelimit;

import java.time.Duration;

/**
 * A {@link RateLimiter} bound to one tenant: every resource name is counted separately per tenant. Thread-safe;
 * obtain it with {@link RateLimiter#forTenant} (cheap: instances are cached).
 *
 * <p>Bad input — a resource outside {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}, {@code maxRequests} not in
 * 1..ceiling, a window under 1 ms or over the ceiling, a cost not in 1..maxRequests — throws
 * {@link io.mcpcrew.crew.validation.InvalidInputException}. While Redis is unreachable the configured
 * {@link FallbackMode} decides; the decision's {@link RateLimitDecision#decidedBy()} says so.
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

    /** Admits and counts a request of {@code cost} units if the window still holds {@code cost} free units. */
    RateLimitDecision tryAcquire(String resource, int maxRequests, Duration window, int cost);

    /** Like {@link #tryAcquire(String, int, Duration, int)} with this tenant's {@link RateLimiter#policy policy}. */
    default RateLimitDecision tryAcquire(String resource, int cost) {
        RateLimitPolicy p = policy(resource);
        return tryAcquire(resource, p.maxRequests(), p.window(), cost);
    }

    /** This tenant's effective policy for {@code resource} (see {@link RateLimiter#policy}). */
    RateLimitPolicy policy(String resource);

    /** Forgets everything counted for {@code resource} (its window starts empty). */
    void reset(String resource);
}
