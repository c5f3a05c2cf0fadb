/**
 * The Redis client layer every component stands on: {@link io.mcpcrew.crew.redis.RedisManager} (one Jedis client
 * by topology, produced by CDI, with the circuit breaker and the fallback hook {@code withFallback}), Lua scripts
 * run with EVALSHA ({@link io.mcpcrew.crew.redis.LuaScript}), coalescing of concurrent calls into shared round
 * trips, writes confirmed by replicas before they are answered ({@code redis.crew.durability.*}:
 * {@code evalReplicated} / {@code executeReplicated}, {@link io.mcpcrew.crew.redis.NotReplicatedException}),
 * {@link io.mcpcrew.crew.redis.DataType} TTLs, and the exception split: retryable
 * ({@link io.mcpcrew.crew.redis.RedisUnavailableException}) versus not
 * ({@link io.mcpcrew.crew.redis.RedisDataException}). Tenant views and keys are in {@code tenancy}, input rules in
 * {@code validation}, the breaker and fallback pieces in {@code resilience}.
 */
package io.mcpcrew.crew.redis;
