package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.RedisServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster of three masters with one replica each (six processes on free loopback ports, node timeout 2 s),
 * made with {@code redis-cli --cluster create --cluster-replicas 1}. A killed server started again keeps its port and
 * its {@code nodes.conf}, so it rejoins (as a replica of the master that replaced it).
 */
final class ShardedCluster implements RedisTopology {
    static final int NODE_TIMEOUT_MS = 2000;
    private final List<RedisServer> servers = new ArrayList<>();
    private volatile java.util.function.Predicate<String> failedShard;

    static ShardedCluster start(int masters) {
        ShardedCluster c = new ShardedCluster();
        try {
            for (int i = 0; i < masters * 2; i++) {
                // as the deploy guide recommends: the masters still up serve their slots while one is down
                c.servers.add(RedisServer.onFreePort("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT_MS),
                        "--cluster-require-full-coverage", "no").start());
            }
            List<String> cmd = new ArrayList<>(List.of(RedisTools.redisCli(), "--cluster", "create"));
            c.servers.forEach(s -> cmd.add(s.host() + ":" + s.port()));
            cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            RedisTools.run(cmd);
            c.awaitHealthy();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw new IllegalStateException("cannot start a Redis Cluster: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public Map<String, String> nodeEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_CREW_MODE", "cluster");
        env.put("REDIS_CREW_NODES", servers.stream().map(s -> s.host() + ":" + s.port()).collect(Collectors.joining(",")));
        return env;
    }

    @Override
    public UnifiedJedis client() {
        Set<HostAndPort> seeds = servers.stream().filter(RedisServer::isRunning)
                .map(s -> new HostAndPort(s.host(), s.port())).collect(Collectors.toSet());
        return RedisClusterClient.builder().nodes(seeds)
                .clientConfig(DefaultJedisClientConfig.builder().socketTimeoutMillis(5000).autoNegotiateProtocol(false).build()).maxAttempts(5).build();
    }

    /** The servers that run and call themselves master. */
    @Override
    public List<RedisServer> masters() {
        return servers.stream().filter(s -> s.isRunning() && role(s).equals("master")).collect(Collectors.toList());
    }

    /**
     * Marks {@code master} as the one a scenario is about to kill: {@link #failedShard()} then tells whether a hash
     * tag is in the slots it serves now (null: no master fails).
     */
    void failing(RedisServer master) {
        if (master == null) {
            failedShard = null;
            return;
        }
        java.util.BitSet slots = new java.util.BitSet(16384);
        for (String line : anyRunning().command("CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[1].contains(":" + master.port() + "@")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (!range[0].startsWith("[")) { // "[slot->-node]": a slot being migrated
                    int lo = Integer.parseInt(range[0]);
                    slots.set(lo, (range.length > 1 ? Integer.parseInt(range[1]) : lo) + 1);
                }
            }
        }
        failedShard = tag -> slots.get(JedisClusterCRC16.getSlot(tag));
    }

    @Override
    public java.util.function.Predicate<String> failedShard() {
        return failedShard;
    }

    /** The master that serves the hash slot of {@code key} now (as the first running server sees it). */
    RedisServer masterOf(String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        for (String line : anyRunning().command("CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (range[0].startsWith("[")) {
                    continue; // a slot being migrated
                }
                int lo = Integer.parseInt(range[0]);
                int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                if (slot >= lo && slot <= hi) {
                    return servers.stream().filter(s -> s.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot + " of " + key);
    }

    /** Waits until a running master other than {@code old} serves {@code key}'s slot and the cluster is ok. */
    RedisServer awaitPromotion(RedisServer old, String key, long millis) {
        RedisTools.await("a replica of :" + old.port() + " to take over", millis, () -> masterOf(key) != old
                && servers.stream().filter(RedisServer::isRunning)
                        .allMatch(s -> s.command("CLUSTER", "INFO").contains("cluster_state:ok")));
        return masterOf(key);
    }

    @Override
    public void awaitHealthy() {
        RedisTools.await("three masters each with a linked replica, cluster ok on all: " + describe(), 60_000, () -> {
            if (!servers.stream().allMatch(RedisServer::isRunning)) {
                return false;
            }
            int masters = 0;
            for (RedisServer s : servers) {
                if (!s.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
                    return false;
                }
                String info = s.command("INFO", "replication");
                if (info.contains("role:master")) {
                    masters++;
                    if (!info.contains("connected_slaves:1")) {
                        return false;
                    }
                } else if (!info.contains("master_link_status:up")) {
                    return false;
                }
            }
            return masters == servers.size() / 2;
        });
    }

    @Override
    public String describe() {
        return servers.stream().map(s -> ":" + s.port() + " " + (s.isRunning() ? role(s) : "down"))
                .collect(Collectors.joining(", "));
    }

    private static String role(RedisServer s) {
        try {
            return s.command("ROLE").split("\n")[0];
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private RedisServer anyRunning() {
        return servers.stream().filter(RedisServer::isRunning).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        servers.forEach(RedisServer::close);
    }
}
