package io.mcpcrew.crew.ratelimit;

/**
 * A policy a tenant stored in Redis for one resource ({@link RateLimiter#storedPolicies}).
 *
 * @param resource the resource ({@code default}: the tenant's default)
 * @param quota    the policy's limits, or null when the stored value is not a valid policy (nodes ignore it, as if
 *                 absent, and log it)
 */
public record StoredPolicy(String resource, Quota quota) {
}
