package io.mcpcrew.crew.metrics;

/**
 * A component's gauges that need Redis reads (queue depths, stream lag, active sessions): run by
 * {@link CrewMetrics#refresh} at most once per {@code redis.crew.metrics.redis-read-interval}, with a bounded number
 * of round trips whatever the number of queues, streams or tenants (each reader states its number). It reads only
 * through the {@link RedisReads} it is given, which counts the round trips.
 */
@FunctionalInterface
public interface RedisReader {
    void read(RedisReads reads);
}
