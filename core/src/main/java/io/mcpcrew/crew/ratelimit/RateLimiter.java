package io.mcpcrew.crew.ratelimit;

import java.util.Optional;

/**
 * Exact, distributed, per-tenant rate limiting. {@code @Inject RateLimiter limits;} then
 * {@code limits.forTenant("t1").tryAcquire("llm-calls", 100, Duration.ofMinutes(1))}.
 *
 * <p>Exact means: for each tenant and resource, in no interval of length {@code window} (of the Redis server's
 * clock) are more than {@code maxRequests} units admitted, however many threads and application nodes ask.
 *
 * <p>Policies: a caller may pass the numbers itself, or use the tenant's effective policy for a resource, which
 * is, first match wins: a runtime override set with {@link #setPolicy} (held in this node's memory), the
 * configuration ({@code redis.crew.ratelimit.<resource>.max-requests} / {@code .window}), the caller's default
 * (e.g. the {@code @RateLimited} annotation's values), {@code redis.crew.ratelimit.default.*}.
 */
public interface RateLimiter {

    /** The limiter of one tenant; throws {@link io.mcpcrew.crew.validation.InvalidNameException} for a bad id. */
    TenantRateLimiter forTenant(String tenant);

    /** The effective policy of {@code resource} for {@code tenant}, without a caller default. */
    default RateLimitPolicy policy(String tenant, String resource) {
        return policy(tenant, resource, null);
    }

    /** The effective policy; {@code callerDefault} (may be null) ranks below configuration, above the default. */
    RateLimitPolicy policy(String tenant, String resource, RateLimitPolicy callerDefault);

    /** Overrides the policy of {@code resource} for one tenant, at run time, on this node (not persisted). */
    void setPolicy(String tenant, String resource, RateLimitPolicy policy);

    /** The runtime override, if one is set. */
    Optional<RateLimitPolicy> policyOverride(String tenant, String resource);

    /** Removes a runtime override; returns whether there was one. */
    boolean clearPolicy(String tenant, String resource);

    /** What happens while Redis is unreachable. */
    FallbackMode fallbackMode();
}
