package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.testing.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test but a measurement, run only with {@code -Dtopology.scaling=true} (docs/benchmarks.md): how many tasks a
 * second 1, 2 and 3 Payara Micro nodes drain from a Redis Cluster of three masters (one replica each), and the Redis
 * CPU each task costs ({@code INFO cpu} of the masters, user + system). For each node count: {@code
 * -Dtopology.scaling.tasks} {@code echo} tasks (default 30,000) are enqueued into 12 paused queues of a tenant of their
 * own (spread over the masters' slots), the queues are resumed, and the time until Redis counts every one succeeded
 * is taken. The nodes run with the JVM's defaults (the suite's C1-only setting would understate them). Prints a table
 * and writes it to {@code target/topology-scaling.md}; asserts nothing about the figures.
 */
@EnabledIfSystemProperty(named = "topology.scaling", matches = "true")
class ClusterScalingIT {
    private static final int QUEUES = 12;

    @Test
    void tasksDrainedPerSecondWithOneTwoAndThreeNodes() throws Exception {
        int tasks = Integer.getInteger("topology.scaling.tasks", 30_000);
        Path dir = Path.of(System.getProperty("topology.dir", "target/topology"), getClass().getSimpleName());
        List<MicroNode> nodes = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        try (ShardedCluster redis = ShardedCluster.start(3);
                JedisRedisManager manager = new JedisRedisManager(RedisCrewConfig.load(Map.of(
                        "redis.crew.mode", "cluster", "redis.crew.nodes", redis.nodeEnv().get("REDIS_CREW_NODES"),
                        "redis.crew.key-prefix", Scenario.PREFIX, "redis.crew.fallback.enabled", "false",
                        "redis.crew.fallback.journal.enabled", "false")), null)) {
            RedisTaskQueues queues = new RedisTaskQueues(manager);
            Map<String, String> env = Fleet.env(redis);
            for (int n = 0; n < 3; n++) {
                MicroNode node = new MicroNode(n, RedisServer.freePort(), dir.resolve("node-" + n), env,
                        List.of("-Xmx512m"));
                nodes.add(node);
                node.launch();
                node.awaitReady(Fleet.START_MILLIS);
                drain(queues, redis, "scale-warm-" + (n + 1), Math.min(tasks, 5_000)); // JIT and pools warm
                rows.add(drain(queues, redis, "scale-" + (n + 1), tasks).row(n + 1));
            }
        } finally {
            nodes.forEach(MicroNode::kill9);
        }
        String table = "| nodes | tasks | seconds | tasks/s | Redis CPU per task (µs, 3 masters) | Redis CPU (% of a core, "
                + "3 masters) |\n|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
        System.out.println(table);
        write(Path.of(System.getProperty("topology.dir", "target/topology")).resolveSibling("topology-scaling.md"),
                "# Tasks drained per second on a Redis Cluster (3 masters)\n\n" + table);
    }

    /** Seconds taken and master CPU seconds used to drain {@code count} tasks. */
    private record Drain(int count, double seconds, double cpuSeconds) {
        String row(int nodes) {
            return String.format(Locale.ROOT, "| %d | %d | %.1f | %.0f | %.1f | %.0f |", nodes, count, seconds,
                    count / seconds, cpuSeconds / count * 1e6, cpuSeconds / seconds * 100);
        }
    }

    private static Drain drain(RedisTaskQueues queues, ShardedCluster redis, String tenant, int count) {
        List<TaskQueue> qs = new ArrayList<>();
        for (int q = 0; q < QUEUES; q++) {
            TaskQueue queue = queues.forTenant(tenant).queue("q" + q);
            queue.pause();
            qs.add(queue);
        }
        for (int q = 0; q < QUEUES; q++) {
            int mine = count / QUEUES + (q < count % QUEUES ? 1 : 0);
            for (int from = 0; from < mine; from += 500) {
                List<NewTask> batch = new ArrayList<>();
                for (int i = from; i < Math.min(mine, from + 500); i++) {
                    batch.add(new NewTask("echo", "{\"i\":" + i + "}", TaskPriority.NORMAL));
                }
                qs.get(q).enqueueAll(batch);
            }
        }
        RedisTools.sleep(3000); // the nodes' workers read the queue registry every 2 s
        double cpu0 = masterCpu(redis);
        long t0 = System.nanoTime();
        qs.forEach(TaskQueue::resume);
        RedisTools.await(count + " tasks of " + tenant + " to succeed", 600_000,
                () -> qs.stream().mapToLong(q -> q.stats().succeededTotal()).sum() >= count);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Drain(count, seconds, masterCpu(redis) - cpu0);
    }

    /** used_cpu_user + used_cpu_sys of the current masters, in seconds. */
    private static double masterCpu(ShardedCluster redis) {
        double sum = 0;
        for (RedisServer m : redis.masters()) {
            for (String line : m.command("INFO", "cpu").split("\r?\n")) {
                if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                    sum += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        return sum;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
