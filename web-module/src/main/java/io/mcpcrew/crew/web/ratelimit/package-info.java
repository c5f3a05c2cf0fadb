/**
 * Rate limits over HTTP: the {@link io.mcpcrew.crew.web.ratelimit.RateLimited @RateLimited} name-bound annotation
 * and its {@link io.mcpcrew.crew.web.ratelimit.RateLimitFilter} (429 with {@code Retry-After} and the IETF
 * {@code RateLimit} / {@code RateLimit-Policy} fields, one member per limit, which allowed responses carry too), and
 * {@link io.mcpcrew.crew.web.ratelimit.RateLimitResource} ({@code /api/v1/tenants/{tenant}/ratelimits/...}:
 * check, adjust, policy, reset; bodies of several limits in {@link io.mcpcrew.crew.web.ratelimit.QuotaJson}).
 */
package io.mcpcrew.crew.web.ratelimit;
