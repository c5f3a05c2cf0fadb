package io.mcpcrew.crew.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private master {@link RedisServer}, optionally with replicas, watched by one Sentinel (a
 * {@code redis-server --sentinel} process with its own config file in a temp dir, quorum 1, a master down after
 * 2 s), all on free ports. For the Sentinel topology of the tests, and with replicas for fail-overs: {@link #failover()}
 * asks the Sentinel for one, {@link #currentMaster()} is the server the Sentinel names now. Every server replicates
 * diskless with no delay ({@code repl-diskless-sync-delay 0}), so a replica attached to a new master is in sync at
 * once.
 */
public final class RedisSentinel implements AutoCloseable {
    public static final String MASTER_NAME = "crewmaster";
    private static final String[] NO_SYNC_DELAY = {"--repl-diskless-sync-delay", "0"};
    private final List<RedisServer> servers = new ArrayList<>();
    private final int sentinelPort;
    private final Path dir;
    private Process sentinel;

    private RedisSentinel(RedisServer master, int sentinelPort, Path dir) {
        this.servers.add(master);
        this.sentinelPort = sentinelPort;
        this.dir = dir;
    }

    /** A master and its Sentinel. */
    public static RedisSentinel start() {
        return startWithReplicas(0);
    }

    /**
     * A master, {@code replicas} replicas of it (in sync before this returns) and a Sentinel that knows them all and
     * has read each replica's state, so that a fail-over can start at once.
     */
    public static RedisSentinel startWithReplicas(int replicas) {
        RedisServer master = RedisServer.onFreePort(NO_SYNC_DELAY).start();
        List<RedisServer> started = new ArrayList<>();
        try {
            for (int i = 0; i < replicas; i++) {
                started.add(startReplicaOf(master, RedisServer.freePort()));
            }
        } catch (RuntimeException e) {
            started.forEach(RedisServer::close);
            master.close();
            throw e;
        }
        int port = RedisServer.freePort();
        try {
            Path dir = Files.createTempDirectory("crew-sentinel-" + port + "-");
            Path conf = dir.resolve("sentinel.conf");
            Files.writeString(conf, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "logfile " + dir.resolve("sentinel.log"),
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 2000",
                    "sentinel failover-timeout " + MASTER_NAME + " 20000", ""));
            RedisSentinel s = new RedisSentinel(master, port, dir);
            s.servers.addAll(started);
            s.sentinel = new ProcessBuilder(List.of(RedisServer.executable(), conf.toString(), "--sentinel"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Processes.register(s.sentinel);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (RedisServer.Resp.call("127.0.0.1", port, "SENTINEL", "get-master-addr-by-name", MASTER_NAME)
                            .contains(String.valueOf(master.port())) && s.readyReplicas() == replicas) {
                        return s;
                    }
                } catch (RuntimeException notYet) {
                    // starting
                }
                RedisServer.sleep(50);
            }
            s.close();
            throw new IllegalStateException("sentinel on port " + port + " did not report the master and "
                    + replicas + " ready replica(s) in 15 s");
        } catch (IOException e) {
            started.forEach(RedisServer::close);
            master.close();
            throw new IllegalStateException("cannot start a sentinel: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the Sentinel require a login: adds the ACL user {@code user} with {@code password} and every right, then
     * turns the default user off, so a client without these credentials is refused ({@code NOAUTH}). The harness
     * itself does not talk to the Sentinel afterwards.
     */
    public RedisSentinel requireLogin(String user, String password) {
        String ok = RedisServer.Resp.call("127.0.0.1", sentinelPort, "ACL", "SETUSER", user, "on", ">" + password,
                "+@all", "~*", "&*");
        String off = RedisServer.Resp.call("127.0.0.1", sentinelPort, "ACL", "SETUSER", "default", "off");
        if (!ok.startsWith("+OK") || !off.startsWith("+OK")) {
            throw new IllegalStateException("the sentinel refused ACL SETUSER: " + ok + " / " + off);
        }
        return this;
    }

    /** A replica of {@code master} on {@code port}, started and in sync. */
    private static RedisServer startReplicaOf(RedisServer master, int port) {
        RedisServer r = RedisServer.onPort(port, "--replicaof", master.host(), String.valueOf(master.port()),
                NO_SYNC_DELAY[0], NO_SYNC_DELAY[1]).start();
        awaitInSync(r);
        return r;
    }

    /** Waits (15 s at most) until {@code replica}'s link to its master is up. */
    public static void awaitInSync(RedisServer replica) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!replica.command("INFO", "replication").contains("master_link_status:up")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replica on port " + replica.port() + " is not in sync after 15 s: "
                        + replica.command("INFO", "replication"));
            }
            RedisServer.sleep(20);
        }
    }

    /** Replicas the Sentinel lists as such, with their link to the master up and their state read recently. */
    private int readyReplicas() {
        int ready = 0;
        for (Object r : (List<?>) RedisServer.Resp.tree("127.0.0.1", sentinelPort, "SENTINEL", "REPLICAS", MASTER_NAME)) {
            Map<String, String> f = fields((List<?>) r);
            if ("slave".equals(f.get("flags")) && "ok".equals(f.get("master-link-status"))
                    && Long.parseLong(f.getOrDefault("info-refresh", "999999999")) < 5_000) {
                ready++;
            }
        }
        return ready;
    }

    private static Map<String, String> fields(List<?> pairs) {
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            out.put(String.valueOf(pairs.get(i)), String.valueOf(pairs.get(i + 1)));
        }
        return out;
    }

    /** The master this harness started with (after a fail-over a replica, or stopped). */
    public RedisServer master() {
        return servers.get(0);
    }

    /** The replicas started with the master, in order. */
    public List<RedisServer> replicas() {
        return List.copyOf(servers.subList(1, servers.size()));
    }

    /** The port of the master the Sentinel names now. */
    public int currentMasterPort() {
        String reply = RedisServer.Resp.call("127.0.0.1", sentinelPort, "SENTINEL", "get-master-addr-by-name",
                MASTER_NAME);
        return Integer.parseInt(reply.split("\n")[1].trim());
    }

    /** The server the Sentinel names as master now. */
    public RedisServer currentMaster() {
        int port = currentMasterPort();
        return servers.stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("the sentinel names a master on port " + port
                        + " this harness did not start"));
    }

    /**
     * {@code SENTINEL FAILOVER}: the Sentinel promotes a replica and announces it ({@code +switch-master}) without
     * waiting for the master to fail. Returns the new master once the Sentinel names it (30 s at most); the old
     * master, if it runs, is turned into a replica by the Sentinel some seconds later.
     */
    public RedisServer failover() {
        int before = currentMasterPort();
        String ok = RedisServer.Resp.call("127.0.0.1", sentinelPort, "SENTINEL", "FAILOVER", MASTER_NAME);
        if (!ok.startsWith("+OK")) {
            throw new IllegalStateException("SENTINEL FAILOVER refused: " + ok);
        }
        return awaitMasterOtherThan(before, Duration.ofSeconds(30));
    }

    /** Waits until the Sentinel names a master other than the one on {@code port} (after a kill, a fail-over). */
    public RedisServer awaitMasterOtherThan(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (currentMasterPort() == port) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sentinel still names the master on port " + port + " after "
                        + timeout.toSeconds() + " s");
            }
            RedisServer.sleep(20);
        }
        return currentMaster();
    }

    /**
     * Starts a stopped server of this harness again, empty, as a replica of the current master (what an operator
     * does with a crashed master once another was promoted), and waits until it is in sync.
     */
    public RedisServer restartAsReplica(RedisServer stopped) {
        int i = servers.indexOf(stopped);
        if (i < 0 || stopped.isRunning()) {
            throw new IllegalStateException("not a stopped server of this harness: port " + stopped.port());
        }
        stopped.close();
        RedisServer r = startReplicaOf(currentMaster(), stopped.port());
        servers.set(i, r);
        return r;
    }

    /** The settings that point a manager at this master through the Sentinel: mode, nodes, master name. */
    public java.util.Map<String, String> managerConfig() {
        return java.util.Map.of("redis.crew.mode", "sentinel", "redis.crew.nodes", sentinelsSpec(),
                "redis.crew.sentinel.master", MASTER_NAME);
    }

    /** {@code 127.0.0.1:<port>}: the value of {@code redis.crew.nodes} in sentinel mode. */
    public String sentinelsSpec() {
        return "127.0.0.1:" + sentinelPort;
    }

    @Override
    public void close() {
        if (sentinel != null) {
            sentinel.destroyForcibly();
        }
        servers.forEach(RedisServer::close);
        RedisServer.deleteRecursively(dir);
    }
}
