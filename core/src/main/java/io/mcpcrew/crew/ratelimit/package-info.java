/**
 * Per-tenant rate limits and quotas on Redis: {@link io.mcpcrew.crew.ratelimit.RateLimiter} (role) and
 * {@link io.mcpcrew.crew.ratelimit.RedisRateLimiter}, with two kinds of policy. The exact log
 * ({@link io.mcpcrew.crew.ratelimit.RateLimitPolicy}, {@link io.mcpcrew.crew.ratelimit.RateLimitDecision}): a
 * Redis LIST of admission timestamps decided by {@code sliding_window.lua}. Quotas
 * ({@link io.mcpcrew.crew.ratelimit.Quota} of {@link io.mcpcrew.crew.ratelimit.Limit}s,
 * {@link io.mcpcrew.crew.ratelimit.QuotaDecision}): token buckets and sliding counters, several decided together by
 * {@code quota.lua} ({@link io.mcpcrew.crew.ratelimit.QuotaScript}) over one HASH per tenant and resource. The
 * current usage of either ({@link io.mcpcrew.crew.ratelimit.QuotaUsage} of
 * {@link io.mcpcrew.crew.ratelimit.LimitUsage}s), read by the no-writes {@code usage.lua}
 * ({@link io.mcpcrew.crew.ratelimit.UsageScript}). Policies
 * stored in Redis ({@link io.mcpcrew.crew.ratelimit.PolicyStore}) or configured
 * ({@link io.mcpcrew.crew.ratelimit.RateLimitSettings}, {@link io.mcpcrew.crew.ratelimit.LimitSpec}); the per-node
 * {@link io.mcpcrew.crew.ratelimit.LocalSlidingWindow} and {@link io.mcpcrew.crew.ratelimit.LocalQuotas} used while
 * Redis is unreachable ({@link io.mcpcrew.crew.ratelimit.FallbackMode}). The JAX-RS filter lives in
 * {@code io.mcpcrew.crew.web.ratelimit}.
 */
package io.mcpcrew.crew.ratelimit;
