package io.mcpcrew.crew.web.ratelimit;

/**
 * One budget a resource method is counted against: what {@link RateLimited} says, as a value.
 *
 * @param resource        the counted resource name; methods with the same one share a budget
 * @param maxRequests     the developer's default units per window; 0: configuration or the default policy
 * @param windowSeconds   the window of {@code maxRequests}
 * @param cost            units one call consumes
 * @param tenantParameter the path parameter naming the tenant
 */
public record Budget(String resource, int maxRequests, long windowSeconds, int cost, String tenantParameter) {
    /** The resource of the per-tenant write budget every write under {@code /tenants/{tenant}} is counted in. */
    public static final String API_WRITES = "api-writes";

    /** The per-tenant write budget, sized by {@code redis.crew.ratelimit.api-writes.*}. */
    public static final Budget WRITES = new Budget(API_WRITES, 0, 60, 1, "tenant");

    static Budget of(RateLimited a) {
        return new Budget(a.resource(), a.maxRequests(), a.windowSeconds(), a.cost(), a.tenantParameter());
    }
}
