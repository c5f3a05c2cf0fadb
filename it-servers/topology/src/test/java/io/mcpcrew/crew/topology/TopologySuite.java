package io.mcpcrew.crew.topology;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What both topology classes share: the Redis topology, three nodes started at once on it, the readiness watch, and
 * the node faults (a {@code kill -9} of one node, a rolling restart of all). Scenarios run in order on the same
 * processes; each leaves the topology whole again (every server running, every node ready) for the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class TopologySuite<R extends RedisTopology> {
    static final int NODES = 3;
    static final long WARM_UP_MS = 10_000;
    R redis;
    Fleet fleet;
    ReadinessWatch watch;

    /** Starts the Redis topology in {@code dir}. */
    abstract R startRedis(Path dir);

    @BeforeAll
    void startTopology() {
        Path dir = Path.of(System.getProperty("topology.dir", "target/topology"), getClass().getSimpleName());
        deleteRecursively(dir); // no journal or Payara root of an earlier run
        redis = startRedis(dir.resolve("redis"));
        try {
            long t0 = System.nanoTime();
            fleet = Fleet.start(NODES, redis, dir);
            System.out.printf(Locale.ROOT, "%s: %d nodes ready in %.1f s on %s%n", getClass().getSimpleName(), NODES,
                    (System.nanoTime() - t0) / 1e9, redis.describe());
            watch = new ReadinessWatch(fleet);
            warmUp();
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    @AfterAll
    void stopTopology() {
        try {
            if (watch != null) {
                watch.close();
            }
        } finally {
            try {
                if (fleet != null) {
                    fleet.close();
                }
            } finally {
                redis.close();
            }
        }
    }

    /** The same load for a while on a tenant of its own, unchecked: the first scenario does not meet cold JVMs. */
    private void warmUp() {
        MixedLoad load = new MixedLoad(fleet, "warm-up", new Ledger(), java.time.Duration.ofMillis(WARM_UP_MS), 100_000);
        load.start();
        RedisTools.sleep(WARM_UP_MS);
        load.stop();
    }

    /** Runs a scenario, adds it to the report and returns it. */
    ScenarioResult scenario(String name, boolean nodesRestart, Scenario.Fault fault) throws Exception {
        ScenarioResult r = Scenario.run(name, redis, fleet, watch, nodesRestart, fault, redis::awaitHealthy);
        Report.add(r);
        return r;
    }

    /** {@code kill -9} of node 1, started again at once (as a supervisor would); waits until it is ready. */
    String killNode() {
        MicroNode n = fleet.node(1);
        long t0 = System.nanoTime();
        n.kill9();
        n.launch();
        n.awaitReady(Fleet.START_MILLIS);
        return String.format(Locale.ROOT, "`kill -9` of node %d; started again at once, ready after %.1f s",
                n.index(), (System.nanoTime() - t0) / 1e9);
    }

    /** Each node in turn: taken out of rotation, 1 s to drain, SIGTERM, started again, ready, back in rotation. */
    String rollingRestart() {
        List<String> times = new ArrayList<>();
        for (MicroNode n : fleet.nodes()) {
            long t0 = System.nanoTime();
            n.takeOut();
            RedisTools.sleep(1000); // calls in flight finish
            n.stop();
            long stopped = System.nanoTime();
            n.launch();
            n.awaitReady(Fleet.START_MILLIS);
            times.add(String.format(Locale.ROOT, "node %d stopped in %.1f s, ready %.1f s later", n.index(),
                    (stopped - t0) / 1e9, (System.nanoTime() - stopped) / 1e9));
        }
        return "rolling restart (SIGTERM, then started again), one node at a time: " + String.join("; ", times);
    }

    private static void deleteRecursively(Path p) {
        if (java.nio.file.Files.exists(p)) {
            try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(p)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot empty " + p, e);
            }
        }
    }

    static double seconds(long fromNanos) {
        return (System.nanoTime() - fromNanos) / 1e9;
    }
}
