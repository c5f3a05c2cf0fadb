package io.mcpcrew.crew.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private master {@link RedisServer} watched by one Sentinel (a {@code redis-server --sentinel} process with its
 * own config file in a temp dir), both on free ports. For the Sentinel topology of the tests.
 */
public final class RedisSentinel implements AutoCloseable {
    public static final String MASTER_NAME = "crewmaster";
    private final RedisServer master;
    private final int sentinelPort;
    private final Path dir;
    private Process sentinel;

    private RedisSentinel(RedisServer master, int sentinelPort, Path dir) {
        this.master = master;
        this.sentinelPort = sentinelPort;
        this.dir = dir;
    }

    public static RedisSentinel start() {
        RedisServer master = RedisServer.onFreePort().start();
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
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 2000", ""));
            RedisSentinel s = new RedisSentinel(master, port, dir);
            s.sentinel = new ProcessBuilder(List.of(RedisServer.executable(), conf.toString(), "--sentinel"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Processes.register(s.sentinel);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (RedisServer.Resp.call("127.0.0.1", port, "SENTINEL", "get-master-addr-by-name", MASTER_NAME)
                            .contains(String.valueOf(master.port()))) {
                        return s;
                    }
                } catch (RuntimeException notYet) {
                    // starting
                }
                RedisServer.sleep(50);
            }
            s.close();
            throw new IllegalStateException("sentinel on port " + port + " did not report the master in 15 s");
        } catch (IOException e) {
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

    public RedisServer master() {
        return master;
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
        master.close();
        RedisServer.deleteRecursively(dir);
    }
}
