/**
 * Per-tenant rate limiting on Redis: {@link io.mcpcrew.crew.ratelimit.RateLimiter} (role) and
 * {@link io.mcpcrew.crew.ratelimit.RedisRateLimiter} (an exact sliding window kept as a Redis LIST of admission
 * timestamps, decided by one Lua script in one round trip with the server's clock), the
 * {@link io.mcpcrew.crew.ratelimit.RateLimitDecision} it returns, per-tenant
 * {@link io.mcpcrew.crew.ratelimit.RateLimitPolicy policies} from configuration with runtime overrides, and the
 * per-node {@link io.mcpcrew.crew.ratelimit.LocalSlidingWindow} used while Redis is unreachable
 * ({@link io.mcpcrew.crew.ratelimit.FallbackMode}). The JAX-RS filter lives in {@code io.mcpcrew.crew.web.ratelimit}.
 */
package io.mcpcrew.crew.ratelimit;
