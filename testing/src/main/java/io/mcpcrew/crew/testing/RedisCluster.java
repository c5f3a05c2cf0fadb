package io.mcpcrew.crew.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Redis Cluster of three masters (no replicas) on free ports, created with
 * {@code redis-cli --cluster create}. Used by the contract tests' Cluster topology: every Lua script must
 * keep its keys in one hash slot, or Redis answers CROSSSLOT.
 */
public final class RedisCluster implements AutoCloseable {
    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {
    }

    public static RedisCluster start(int masters) {
        RedisCluster c = new RedisCluster();
        try {
            for (int i = 0; i < masters; i++) {
                RedisServer n = RedisServer.onFreePort("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000");
                c.nodes.add(n);
                n.start();
            }
            List<String> cmd = new ArrayList<>(List.of(cli(), "--cluster", "create"));
            for (RedisServer n : c.nodes) {
                cmd.add(n.host() + ":" + n.port());
            }
            cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + out);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                boolean ok = c.nodes.stream().allMatch(n -> n.command("CLUSTER", "INFO").contains("cluster_state:ok"));
                if (ok) {
                    return c;
                }
                RedisServer.sleep(100);
            }
            throw new IllegalStateException("cluster did not reach cluster_state:ok in 30 s");
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw new IllegalStateException("cannot start a Redis Cluster: " + e.getMessage(), e);
        }
    }

    /** The settings that point a manager at this Cluster: mode and seed nodes. */
    public java.util.Map<String, String> managerConfig() {
        return java.util.Map.of("redis.crew.mode", "cluster", "redis.crew.nodes", nodesSpec());
    }

    /** host:port of every master, comma separated: the value of {@code redis.crew.nodes}. */
    public String nodesSpec() {
        StringBuilder sb = new StringBuilder();
        for (RedisServer n : nodes) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(n.host()).append(':').append(n.port());
        }
        return sb.toString();
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    public void flushAll() {
        nodes.forEach(RedisServer::flushAll);
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private static String cli() {
        String server = RedisServer.executable();
        java.io.File sibling = new java.io.File(new java.io.File(server).getParentFile(), "redis-cli");
        return sibling.canExecute() ? sibling.getPath() : "redis-cli";
    }
}
