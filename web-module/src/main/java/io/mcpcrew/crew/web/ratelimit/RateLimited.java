package io.mcpcrew.crew.web.ratelimit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits a JAX-RS resource method (or every method of a class) per tenant with the {@link RateLimitFilter}, bound
 * by {@link RateLimitBinding} (writes under {@code /tenants/{tenant}} are counted in the {@value Budget#API_WRITES}
 * budget without it; this annotation adds a budget of the method's own):
 * {@code @RateLimited(resource = "task-writes", maxRequests = 100, windowSeconds = 60)}. The tenant is the
 * {@code {tenant}} path parameter ({@link #tenantParameter()}); a method without it is counted under the tenant
 * {@value #GLOBAL_TENANT}.
 *
 * <p>The numbers here are the developer's default (an exact log): the tenant's policy stored in Redis
 * ({@code PUT .../ratelimits/{resource}/policy}) and the configuration ({@code redis.crew.ratelimit.<resource>.limits},
 * {@code .max-requests} / {@code .window}) take precedence. With {@code maxRequests = 0} (the default) the tenant's
 * stored default or the configured {@code redis.crew.ratelimit.default.*} policy applies.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimited {
    /** The tenant id used for methods whose path has no tenant parameter. */
    String GLOBAL_TENANT = "global";

    /** The counted resource name ({@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}); methods sharing it share a budget. */
    String resource() default "api-writes";

    /** Units per window; 0 means "no default here": configuration or {@code redis.crew.ratelimit.default.*}. */
    int maxRequests() default 0;

    /** The window in seconds (used with {@link #maxRequests()}). */
    long windowSeconds() default 60;

    /** Units one call consumes. */
    int cost() default 1;

    /** The path parameter naming the tenant. */
    String tenantParameter() default "tenant";
}
