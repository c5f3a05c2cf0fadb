package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.config.TlsSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPool;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the Jedis client of a configuration: one class per topology, the timeouts, the connection pool; and keeps
 * its pools in shape ({@link #upkeep}). The pools start no evictor thread of their own (commons-pool's would be a
 * thread no container manages): their owner runs {@link #upkeep} every {@link #UPKEEP_INTERVAL} on its scheduler.
 */
final class JedisClients {
    /** How often idle pooled connections are tested, closed when broken or idle too long, and topped up. */
    static final Duration UPKEEP_INTERVAL = Duration.ofSeconds(30);

    private JedisClients() {
    }

    /**
     * A client for {@code config}'s topology: standalone, Sentinel or Cluster, with its timeouts and pool. On Cluster
     * its connections come from a {@link ShardAwareConnectionProvider} in front of {@code shards}, which keeps it.
     */
    static UnifiedJedis create(RedisCrewConfig config, ShardBreakers shards) {
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
        SslOptions tls = sslOptions(config);
        if (tls != null) {
            cb.sslOptions(tls);
        }
        JedisClientConfig clientConfig = cb.build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(config.poolMaxTotal());
        pool.setMaxIdle(config.poolMaxIdle());
        pool.setMinIdle(config.poolMinIdle());
        pool.setMaxWait(config.poolMaxWait());
        pool.setJmxEnabled(false); // several deployments in one server would clash on the MBean name
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofMillis(-1)); // no evictor thread: upkeep() does its work
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        config.nodes().forEach(n -> nodes.add(new HostAndPort(n.host(), n.port())));
        switch (config.mode()) {
            case SENTINEL:
                return RedisSentinelClient.builder().masterName(config.sentinelMaster()).sentinels(nodes)
                        .clientConfig(clientConfig).sentinelClientConfig(sentinelClientConfig(config))
                        .poolConfig(pool).build();
            case CLUSTER:
                ShardAwareConnectionProvider provider = new ShardAwareConnectionProvider(nodes, clientConfig, pool,
                        shards);
                shards.attach(provider);
                return RedisClusterClient.builder().nodes(nodes).clientConfig(clientConfig).poolConfig(pool)
                        // a call's retries (a dead master, a slot moving) stop after the call's own timeout, not
                        // three of them: the master's breaker and the fallback take over from there
                        .connectionProvider(provider).maxAttempts(3).maxTotalRetriesDuration(config.timeout()).build();
            default:
                return RedisClient.builder().hostAndPort(config.host(), config.port()).clientConfig(clientConfig)
                        .poolConfig(pool).build();
        }
    }

    /** How the client talks to the Sentinels: their credentials, TLS as for the nodes, RESP2. */
    private static JedisClientConfig sentinelClientConfig(RedisCrewConfig config) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis());
        DefaultJedisClientConfig.Builder sb = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout).ssl(config.ssl())
                .autoNegotiateProtocol(false); // sentinel connections speak RESP2
        config.sentinelUsername().ifPresent(sb::user);
        config.sentinelPassword().ifPresent(sb::password);
        SslOptions tls = sslOptions(config);
        if (tls != null) {
            sb.sslOptions(tls);
        }
        return sb.build();
    }

    /**
     * Why the Sentinels of {@code config} could not name a master, when Jedis only says "All sentinels down": each
     * Sentinel's own answer to a PING with the configured credentials (e.g. {@code NOAUTH Authentication
     * required}), or empty when every one answers (or the mode is not Sentinel).
     */
    static String diagnoseSentinels(RedisCrewConfig config) {
        if (config.mode() != io.mcpcrew.crew.config.RedisMode.SENTINEL) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        JedisClientConfig sc = sentinelClientConfig(config);
        for (RedisCrewConfig.HostPort n : config.nodes()) {
            try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(new HostAndPort(n.host(), n.port()), sc)) {
                j.ping();
            } catch (RuntimeException e) {
                out.append(out.length() == 0 ? "" : "; ").append("sentinel ").append(n).append(": ")
                        .append(e.getMessage());
            }
        }
        return out.toString();
    }

    /**
     * The TLS options of {@code config}'s trust store, key store and verification, or null to keep Jedis's default
     * (the JVM's trust, host name checked) when none is set or TLS is off.
     */
    static SslOptions sslOptions(RedisCrewConfig config) {
        TlsSettings t = config.tls();
        if (!config.ssl() || !t.isCustom()) {
            return null;
        }
        SslOptions.Builder b = SslOptions.builder()
                .sslVerifyMode(t.verify() == TlsSettings.Verify.CA ? SslVerifyMode.CA : SslVerifyMode.FULL);
        if (t.truststore() != null) {
            b.truststore(t.truststore().toFile(), chars(t.truststorePassword())).trustStoreType(t.truststoreType());
        }
        if (t.keystore() != null) {
            b.keystore(t.keystore().toFile(), chars(t.keystorePassword())).keyStoreType(t.keystoreType());
        }
        return b.build();
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }

    /**
     * One round of what commons-pool's evictor thread would do, on the caller's thread, for every pool of the
     * client (the master's in Sentinel mode, each node's in Cluster mode): test the idle connections (PING), close
     * those that fail or have been idle longer than the pool allows, and open connections up to the pool's
     * min-idle.
     *
     * @return the pools visited
     * @throws Exception what the pool threw (a connection that cannot be opened while topping up)
     */
    static int upkeep(UnifiedJedis client) throws Exception {
        int visited = 0;
        for (GenericObjectPool<Connection> pool : pools(client)) {
            if (pool == null || pool.isClosed()) {
                continue;
            }
            pool.evict();
            pool.preparePool();
            visited++;
        }
        return visited;
    }

    /** The client's connection pools: the server's, the master's (Sentinel) or each node's (Cluster). */
    static List<GenericObjectPool<Connection>> pools(UnifiedJedis client) {
        List<GenericObjectPool<Connection>> pools = new ArrayList<>();
        if (client instanceof RedisClient) {
            pools.add(((RedisClient) client).getPool());
        } else if (client instanceof RedisSentinelClient) {
            pools.addAll(((RedisSentinelClient) client).getPrimaryNodesConnectionMap().values());
        } else if (client instanceof RedisClusterClient) {
            pools.addAll(((RedisClusterClient) client).getClusterNodes().values());
        }
        return pools;
    }
}
