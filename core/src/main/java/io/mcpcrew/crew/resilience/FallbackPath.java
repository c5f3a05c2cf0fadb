package io.mcpcrew.crew.resilience;

/**
 * The local side of {@link io.mcpcrew.crew.redis.RedisManager#withFallback}: serves a call while Redis is unavailable.
 * {@code maybeWritten} is true when the Redis attempt failed with an unknown outcome (it may have been applied), so a
 * write kept for later must be replayed idempotently; false when Redis was not tried or certainly did not get it.
 */
@FunctionalInterface
public interface FallbackPath<T> {
    T serve(boolean maybeWritten);
}
