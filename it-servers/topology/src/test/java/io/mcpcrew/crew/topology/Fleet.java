package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.TestTokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The application nodes of one topology, and the load balancer in front of them: {@link #pick()} goes round robin over
 * the nodes in rotation (all admitted nodes when none is, as a balancer that fails open would).
 */
final class Fleet implements AutoCloseable {
    static final long START_MILLIS = 240_000;
    /** The nodes' JVM: C1 only and the serial collector, so three nodes start in half the time on two cores. */
    static final List<String> SUITE_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private final List<MicroNode> nodes = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    private Fleet() {
    }

    /** Starts {@code count} nodes at once on {@code redis} and waits until every one is ready. */
    static Fleet start(int count, RedisTopology redis, Path dir) {
        Fleet f = new Fleet();
        Map<String, String> env = env(redis);
        for (int i = 0; i < count; i++) {
            f.nodes.add(new MicroNode(i, RedisServer.freePort(), dir.resolve("node-" + i), env, SUITE_JVM));
        }
        try {
            f.nodes.forEach(MicroNode::launch);
            CompletableFuture.allOf(f.nodes.stream()
                    .map(n -> CompletableFuture.runAsync(() -> n.awaitReady(START_MILLIS)))
                    .toArray(CompletableFuture[]::new)).join();
            return f;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /**
     * What every node is given: the topology, the test issuer's key, the demonstration handlers, the completion stream
     * (the suite counts completions in it), a short lease and whole-pool share per tenant (one tenant per scenario),
     * a write budget above the load; plus {@code -Dtopology.node-env=K=V,...} (e.g. a durability setting).
     */
    static Map<String, String> env(RedisTopology redis) {
        Map<String, String> env = new LinkedHashMap<>(redis.nodeEnv());
        env.put("REDIS_CREW_KEY_PREFIX", Scenario.PREFIX);
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "file://" + System.getProperty(TestTokens.PUBLIC_KEY_PROPERTY));
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        env.put("REDIS_CREW_TASKS_DEMO_HANDLERS_ENABLED", "true");
        env.put("REDIS_CREW_TASKS_COMPLETION_STREAM_ENABLED", "true");
        env.put("REDIS_CREW_TASKS_COMPLETION_STREAM_MAX_LENGTH", "1000000");
        env.put("REDIS_CREW_TASKS_LEASE", "10s");
        env.put("REDIS_CREW_TASKS_WORKERS_TENANT_MAX_SHARE", "8");
        env.put("REDIS_CREW_RATELIMIT_API_WRITES_MAX_REQUESTS", "100000");
        env.put("HZ_PHONE_HOME_ENABLED", "false");
        String extra = System.getProperty("topology.node-env", "").trim();
        for (String kv : extra.isEmpty() ? new String[0] : extra.split(",")) {
            int eq = kv.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("-Dtopology.node-env takes K=V pairs separated by commas: " + kv);
            }
            env.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return env;
    }

    List<MicroNode> nodes() {
        return List.copyOf(nodes);
    }

    MicroNode node(int i) {
        return nodes.get(i);
    }

    /** The next node for a request: round robin over the nodes in rotation, else over the admitted ones; null if none. */
    MicroNode pick() {
        List<MicroNode> in = nodes.stream().filter(MicroNode::inRotation).collect(Collectors.toList());
        if (in.isEmpty()) {
            in = nodes.stream().filter(MicroNode::admitted).collect(Collectors.toList());
        }
        return in.isEmpty() ? null : in.get(Math.floorMod(next.getAndIncrement(), in.size()));
    }

    @Override
    public void close() {
        nodes.forEach(MicroNode::kill9);
    }
}
