/**
 * The Redis client layer every component stands on: {@link io.mcpcrew.crew.redis.RedisManager} (one Jedis client
 * by topology, produced by CDI), tenant-scoped views and key building ({@link io.mcpcrew.crew.redis.TenantKeys}),
 * name validation, Lua scripts run with EVALSHA, the circuit breaker and the pieces of the local fallback
 * (bounded write buffer, locks), and the exception split: retryable (unavailable) versus not (bad data or input).
 */
package io.mcpcrew.crew.redis;
