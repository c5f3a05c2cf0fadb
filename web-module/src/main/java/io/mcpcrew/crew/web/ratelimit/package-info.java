/**
 * Rate limits over HTTP: the {@link io.mcpcrew.crew.web.ratelimit.RateLimited @RateLimited} name-bound annotation
 * and its {@link io.mcpcrew.crew.web.ratelimit.RateLimitFilter} (429 with {@code Retry-After} and the IETF
 * {@code RateLimit} / {@code RateLimit-Policy} fields, which allowed responses carry too), and
 * {@link io.mcpcrew.crew.web.ratelimit.RateLimitResource} ({@code /api/v1/tenants/{tenant}/ratelimits/...}:
 * check, policy, reset).
 */
package io.mcpcrew.crew.web.ratelimit;
