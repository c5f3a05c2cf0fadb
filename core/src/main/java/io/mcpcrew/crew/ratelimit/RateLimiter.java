package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.paging.Page;
import java.util.Optional;

/**
 * Distributed, per-tenant rate limits and quotas. {@code @Inject RateLimiter limits;} then
 * {@code limits.forTenant("t1").tryAcquire("llm-calls", 100, Duration.ofMinutes(1))} (the exact log) or
 * {@code limits.forTenant("t1").consume("gpt-4", 1200)} (the resource's policy: token buckets and sliding counters,
 * one or several limits decided together).
 *
 * <p>The exact log: for each tenant and resource, in no interval of length {@code window} (of the Redis server's
 * clock) are more than {@code maxRequests} units admitted, however many threads and application nodes ask.
 *
 * <p>Policies: a resource's effective policy ({@link Quota}) for a tenant is, first match wins: the tenant's policy
 * for the resource stored in Redis ({@link #setQuota}, {@link #setPolicy}; shared by every node, applied within
 * {@code redis.crew.ratelimit.policy-cache}), the configuration ({@code redis.crew.ratelimit.<resource>.limits},
 * or {@code .max-requests} / {@code .window}), the caller's default (e.g. the {@code @RateLimited} annotation's
 * values), the tenant's stored policy for the resource {@code default}, {@code redis.crew.ratelimit.default.*}.
 */
public interface RateLimiter {
    /** The most policies one page of {@link #storedPolicies} holds. */
    int MAX_POLICIES_PAGE = 1000;


    /** The limiter of one tenant; throws {@link io.mcpcrew.crew.validation.InvalidNameException} for a bad id. */
    TenantRateLimiter forTenant(String tenant);

    /** The effective policy of {@code resource} for {@code tenant}, without a caller default. */
    default RateLimitPolicy policy(String tenant, String resource) {
        return policy(tenant, resource, null);
    }

    /**
     * The effective policy as the exact log it is; {@code callerDefault} (may be null) ranks below configuration.
     * Throws {@link io.mcpcrew.crew.validation.InvalidInputException} when the effective policy is not one exact-log
     * limit (read it with {@link #quota}).
     */
    RateLimitPolicy policy(String tenant, String resource, RateLimitPolicy callerDefault);

    /** The effective policy of {@code resource} for {@code tenant}; {@code callerDefault} may be null. */
    Quota quota(String tenant, String resource, Quota callerDefault);

    /** {@link #quota(String, String, Quota)} without a caller default. */
    default Quota quota(String tenant, String resource) {
        return quota(tenant, resource, null);
    }

    /**
     * Stores the tenant's policy of {@code resource} in Redis (resource {@code default}: the tenant's default),
     * for every node; checks the configured ceilings first.
     */
    void setQuota(String tenant, String resource, Quota quota);

    /** {@link #setQuota} of the exact log {@code policy}. */
    void setPolicy(String tenant, String resource, RateLimitPolicy policy);

    /** The tenant's policy of {@code resource} stored in Redis, read now. */
    Optional<Quota> storedQuota(String tenant, String resource);

    /** The stored policy if it is one exact-log limit (see {@link #storedQuota} for any). */
    default Optional<RateLimitPolicy> policyOverride(String tenant, String resource) {
        return storedQuota(tenant, resource).filter(Quota::isExactLog).map(Quota::toPolicy);
    }

    /**
     * The policies {@code tenant} stored in Redis, by resource name in byte order, {@code limit} (1 to
     * {@value #MAX_POLICIES_PAGE}) after {@code cursor} (null: the first page). Reads the names of the tenant's
     * stored policies (HSCAN of its policy hash) and the page's policies (one HMGET).
     */
    Page<StoredPolicy> storedPolicies(String tenant, String cursor, int limit);

    /** Removes the tenant's stored policy of {@code resource}; returns whether there was one. */
    boolean clearPolicy(String tenant, String resource);

    /** What happens while Redis is unreachable. */
    FallbackMode fallbackMode();
}
