package io.mcpcrew.crew.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.Pool;

/**
 * Work that must visit every master's keyspace (a bounded SCAN, {@code DBSIZE}, {@code INFO}, {@code MEMORY USAGE} of
 * the keys a node returned): standalone the server, Sentinel the current master, Cluster every master that serves
 * slots, as {@code CLUSTER NODES} lists them (replicas hold copies; counting them would count keys twice). Each call
 * gets a plain {@link Jedis} on a connection borrowed from that node's pool, returned afterwards. Use it inside
 * {@link RedisManager#execute}, which translates Jedis' errors and counts them against the breaker:
 * {@code redis.execute(j -> MasterNodes.each(j, (node, n) -> n.dbSize()))}.
 */
public final class MasterNodes {
    private MasterNodes() {
    }

    /** {@code call(node "host:port", jedis)} on each master, in the order of {@link #masters}; the results in that order. */
    public static <T> List<T> each(UnifiedJedis client, BiFunction<String, Jedis, T> call) {
        List<T> out = new ArrayList<>();
        for (Node n : masters(client)) {
            out.add(n.call(call));
        }
        return out;
    }

    /**
     * One master and its connection pool.
     *
     * @param name {@code host:port} on a Cluster; null otherwise (the connection tells it)
     */
    public record Node(String name, Pool<Connection> pool) {
        /** {@code call(name, jedis)} on a connection borrowed from the pool. */
        public <T> T call(BiFunction<String, Jedis, T> call) {
            if (name != null) {
                ShardAwareConnectionProvider.routeTo(HostAndPort.from(name)); // a failure is this master's
            }
            Connection c = pool.getResource();
            try (Jedis j = new Jedis(c)) {
                return call.apply(name != null ? name : c.getHostAndPort().toString(), j);
            }
        }
    }

    /** The masters: the server, Sentinel's current master, or each Cluster master serving slots (sorted by name). */
    public static List<Node> masters(UnifiedJedis client) {
        List<Node> out = new ArrayList<>();
        if (client instanceof RedisClusterClient) {
            RedisClusterClient cluster = (RedisClusterClient) client;
            for (String node : clusterMasters(cluster)) {
                ConnectionPool pool = cluster.getClusterNodes().get(node);
                if (pool == null) {
                    cluster.refreshClusterTopology();
                    pool = cluster.getClusterNodes().get(node);
                }
                if (pool == null) {
                    throw new JedisConnectionException("Cluster master " + node + " is not known to the client");
                }
                out.add(new Node(node, pool));
            }
            return out;
        }
        Collection<? extends Pool<Connection>> pools;
        if (client instanceof RedisSentinelClient) {
            pools = ((RedisSentinelClient) client).getPrimaryNodesConnectionMap().values();
        } else if (client instanceof RedisClient) {
            pools = List.of(((RedisClient) client).getPool());
        } else {
            throw new IllegalStateException("no node access for a " + client.getClass().getName());
        }
        for (Pool<Connection> pool : pools) {
            out.add(new Node(null, pool));
        }
        return out;
    }

    /** The masters serving slots, by {@code CLUSTER NODES} asked of the first node that answers; sorted by name. */
    static List<String> clusterMasters(RedisClusterClient cluster) {
        JedisConnectionException last = null;
        for (Map.Entry<String, ConnectionPool> e : cluster.getClusterNodes().entrySet()) {
            String text;
            try {
                text = new Node(e.getKey(), e.getValue()).call((node, j) -> j.clusterNodes());
            } catch (JedisConnectionException failed) {
                last = failed; // a node that is down: ask the next one
                continue;
            }
            List<String> masters = parseMasters(text);
            if (!masters.isEmpty()) {
                return masters;
            }
        }
        throw last != null ? last : new JedisConnectionException("no Cluster node answered CLUSTER NODES");
    }

    /**
     * The {@code host:port} of each line of {@code CLUSTER NODES} whose flags say master, not failed, not without
     * address and not in handshake, and which serves at least one slot; sorted.
     */
    static List<String> parseMasters(String clusterNodes) {
        List<String> masters = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9) {
                continue; // no slots: holds no keys
            }
            List<String> flags = List.of(f[2].split(","));
            if (!flags.contains("master") || flags.contains("fail") || flags.contains("noaddr")
                    || flags.contains("handshake")) {
                continue;
            }
            String address = f[1];
            int at = address.indexOf('@');
            if (at >= 0) {
                address = address.substring(0, at);
            }
            int comma = address.indexOf(',');
            if (comma >= 0) {
                address = address.substring(0, comma);
            }
            masters.add(address);
        }
        masters.sort(null);
        return masters;
    }
}
