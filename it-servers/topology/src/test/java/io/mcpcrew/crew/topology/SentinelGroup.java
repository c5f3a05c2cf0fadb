package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A master, one replica and three Sentinels (quorum 2, master down after 2 s), each a process of its own on a free
 * loopback port, secured as in production: TLS only with client certificates, an ACL user per role
 * ({@link SentinelSecurity}); the suite's own clients connect as the nodes do. The Sentinels' configuration files live
 * under the suite's folder (Sentinel rewrites them).
 */
final class SentinelGroup implements RedisTopology {
    static final String MASTER = "crewmaster";
    static final int DOWN_AFTER_MS = 2000;
    private final List<RedisServer> servers = new ArrayList<>();
    private final List<Process> sentinels = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();
    private final Path dir;
    private final SentinelSecurity security;

    private SentinelGroup(Path dir, SentinelSecurity security) {
        this.dir = dir;
        this.security = security;
    }

    static SentinelGroup start(Path dir) {
        SentinelGroup g = new SentinelGroup(dir, SentinelSecurity.create());
        try {
            Files.createDirectories(dir);
            RedisServer master = g.security.server(guard()).start();
            g.servers.add(master);
            List<String> replica = new ArrayList<>(guard());
            replica.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(master.port())));
            g.servers.add(g.security.server(replica).start());
            for (int i = 0; i < 3; i++) {
                g.startSentinel(master.port());
            }
            g.awaitHealthy();
            return g;
        } catch (IOException | RuntimeException e) {
            g.close();
            throw new IllegalStateException("cannot start a Redis with Sentinels: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the group runs as the deploy guide recommends for writes that must survive a failover (the default):
     * the nodes with {@code REDIS_CREW_DURABILITY_REPLICAS=1}, and every server with {@code min-replicas-to-write 1}
     * (a master that lost its replica, such as the old master once its replica is promoted, refuses writes).
     * {@code -Dtopology.durability=false} runs without both, to measure what a failover loses then.
     */
    static boolean durability() {
        return !"false".equals(System.getProperty("topology.durability"));
    }

    /** The servers' arguments for {@link #durability()}. */
    private static List<String> guard() {
        return durability() ? List.of("--min-replicas-to-write", "1", "--min-replicas-max-lag", "10") : List.of();
    }

    private void startSentinel(int masterPort) throws IOException {
        int port = RedisServer.freePort();
        Path conf = dir.resolve("sentinel-" + port + ".conf");
        List<String> lines = new ArrayList<>(List.of(
                "bind 127.0.0.1",
                "dir " + dir,
                "logfile " + dir.resolve("sentinel-" + port + ".log")));
        lines.addAll(security.sentinelConf(port));
        lines.add("sentinel monitor " + MASTER + " 127.0.0.1 " + masterPort + " 2");
        lines.addAll(security.monitorLogin(MASTER));
        lines.add("sentinel down-after-milliseconds " + MASTER + " " + DOWN_AFTER_MS);
        lines.add("sentinel failover-timeout " + MASTER + " 10000");
        Files.writeString(conf, String.join("\n", lines) + "\n");
        Process p = new ProcessBuilder(List.of(RedisTools.redisServer(), conf.toString(), "--sentinel"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel-" + port + ".out").toFile()).start();
        Reaper.register(p);
        sentinels.add(p);
        sentinelPorts.add(port);
    }

    @Override
    public String name() {
        return "sentinel";
    }

    @Override
    public Map<String, String> nodeEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_CREW_MODE", "sentinel");
        env.put("REDIS_CREW_NODES", sentinelPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
        env.put("REDIS_CREW_SENTINEL_MASTER", MASTER);
        env.putAll(security.nodeEnv());
        if (durability()) {
            env.put("REDIS_CREW_DURABILITY_REPLICAS", "1");
        }
        return env;
    }

    @Override
    public UnifiedJedis client() {
        Set<HostAndPort> s = sentinelPorts.stream().map(p -> new HostAndPort("127.0.0.1", p)).collect(Collectors.toSet());
        return RedisSentinelClient.builder().masterName(MASTER).sentinels(s).clientConfig(security.dataClient())
                .sentinelClientConfig(security.sentinelClient()).build();
    }

    /** A connection to the Sentinel on {@code port}, logged in as the nodes are (the caller closes it). */
    Jedis sentinel(int port) {
        return new Jedis(new HostAndPort("127.0.0.1", port), security.sentinelClient());
    }

    List<Integer> sentinelPorts() {
        return List.copyOf(sentinelPorts);
    }

    SentinelSecurity security() {
        return security;
    }

    /** The master the first Sentinel that answers names now. */
    RedisServer master() {
        for (int port : sentinelPorts) {
            try (Jedis j = sentinel(port)) {
                int masterPort = Integer.parseInt(j.sentinelGetMasterAddrByName(MASTER).get(1));
                return servers.stream().filter(s -> s.port() == masterPort).findFirst().orElseThrow();
            } catch (RuntimeException sentinelDown) {
                // ask the next one
            }
        }
        throw new IllegalStateException("no Sentinel answers");
    }

    RedisServer replica() {
        RedisServer m = master();
        return servers.stream().filter(s -> s != m).findFirst().orElseThrow();
    }

    @Override
    public List<RedisServer> masters() {
        return List.of(master());
    }

    /** {@code SENTINEL FAILOVER}: a Sentinel promotes the replica without the master being down. */
    void failoverCommand() {
        try (Jedis j = sentinel(sentinelPorts.get(0))) {
            String ok = j.sentinelFailover(MASTER);
            if (!"OK".equals(ok)) {
                throw new IllegalStateException("SENTINEL FAILOVER answered " + ok);
            }
        }
    }

    /** Waits until every Sentinel names another master than {@code old}; returns the new one. */
    RedisServer awaitNewMaster(RedisServer old, long millis) {
        RedisTools.await("the Sentinels to promote another master than :" + old.port(), millis,
                () -> sentinelPorts.stream().allMatch(p -> {
                    try (Jedis j = sentinel(p)) {
                        return Integer.parseInt(j.sentinelGetMasterAddrByName(MASTER).get(1)) != old.port();
                    }
                }));
        return master();
    }

    @Override
    public void awaitHealthy() {
        RedisTools.await("a master, its replica linked and three Sentinels agreeing, " + describe(), 60_000, () -> {
            for (RedisServer s : servers) {
                if (!s.isRunning()) {
                    return false;
                }
            }
            RedisServer m = master();
            RedisServer r = servers.stream().filter(s -> s != m).findFirst().orElseThrow();
            if (!m.command("ROLE").startsWith("master") || !r.command("INFO", "replication")
                    .contains("master_port:" + m.port()) || !r.command("INFO", "replication").contains("master_link_status:up")) {
                return false;
            }
            for (int p : sentinelPorts) {
                try (Jedis j = sentinel(p)) {
                    if (Integer.parseInt(j.sentinelGetMasterAddrByName(MASTER).get(1)) != m.port()
                            || j.sentinelSentinels(MASTER).size() != 2) {
                        return false;
                    }
                    List<Map<String, String>> replicas = j.sentinelReplicas(MASTER);
                    boolean linked = replicas.stream().anyMatch(x -> String.valueOf(r.port()).equals(x.get("port"))
                            && "slave".equals(x.get("flags")) && "ok".equals(x.get("master-link-status")));
                    if (!linked) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (RedisServer s : servers) {
            String role;
            try {
                role = s.isRunning() ? s.command("ROLE").split("\n")[0] : "down";
            } catch (RuntimeException e) {
                role = "?";
            }
            sb.append(sb.length() == 0 ? "" : ", ").append(':').append(s.port()).append(' ').append(role);
        }
        return sb.append("; sentinels ").append(sentinelPorts).toString();
    }

    @Override
    public void close() {
        sentinels.forEach(Process::destroyForcibly);
        servers.forEach(RedisServer::close);
        security.close();
    }
}
