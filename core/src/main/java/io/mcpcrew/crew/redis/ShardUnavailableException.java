package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.resilience.BreakerState;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisClusterOperationException;

/**
 * A call for a slot whose Redis Cluster master has its breaker open: refused before any connection is taken. A
 * {@link JedisClusterOperationException}, so Jedis's Cluster executor passes it on without retrying; the manager
 * turns it into a {@link RedisUnavailableException} that applied nothing.
 */
final class ShardUnavailableException extends JedisClusterOperationException {
    private static final long serialVersionUID = 1L;

    ShardUnavailableException(HostAndPort node, int slot, BreakerState breaker) {
        super("Redis Cluster master " + node + " (slot " + slot + ") is unavailable: circuit breaker open since "
                + breaker.since() + breaker.lastError().map(e -> " (last error: " + e + ")").orElse(""));
    }
}
