package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.config.RedisCrewConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/** Builds the Jedis client of a configuration: one class per topology, the timeouts, the connection pool. */
final class JedisClients {
    private JedisClients() {
    }

    /** A client for {@code config}'s topology: standalone, Sentinel or Cluster, with its timeouts and pool. */
    static UnifiedJedis create(RedisCrewConfig config) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis());
        DefaultJedisClientConfig.Builder cb = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .socketTimeoutMillis(timeout)
                // blocking reads (XREAD/XREADGROUP BLOCK, at most ~30 s here) give up after this: a silent network
                // partition is noticed instead of waiting for TCP
                .blockingSocketTimeoutMillis((int) Math.min(Integer.MAX_VALUE, (long) timeout + 30_000))
                .database(config.database())
                .ssl(config.ssl())
                .clientName("crew-redis");
        config.username().ifPresent(cb::user);
        config.password().ifPresent(cb::password);
        JedisClientConfig clientConfig = cb.build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(config.poolMaxTotal());
        pool.setMaxIdle(config.poolMaxIdle());
        pool.setMinIdle(config.poolMinIdle());
        pool.setMaxWait(config.poolMaxWait());
        pool.setJmxEnabled(false); // several deployments in one server would clash on the MBean name
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        config.nodes().forEach(n -> nodes.add(new HostAndPort(n.host(), n.port())));
        switch (config.mode()) {
            case SENTINEL:
                DefaultJedisClientConfig.Builder sb = DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout).ssl(config.ssl())
                        .autoNegotiateProtocol(false); // sentinel connections speak RESP2
                return RedisSentinelClient.builder().masterName(config.sentinelMaster()).sentinels(nodes)
                        .clientConfig(clientConfig).sentinelClientConfig(sb.build()).poolConfig(pool).build();
            case CLUSTER:
                return RedisClusterClient.builder().nodes(nodes).clientConfig(clientConfig).poolConfig(pool)
                        .maxAttempts(3).build();
            default:
                return RedisClient.builder().hostAndPort(config.host(), config.port()).clientConfig(clientConfig)
                        .poolConfig(pool).build();
        }
    }
}
