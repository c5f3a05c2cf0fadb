package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * What the manager adds to a call on a Redis Cluster: {@code GET} and {@code INCR} of keys spread over the three
 * masters of a private Cluster, through {@link JedisRedisManager#execute} (the slot's master looked up for its
 * breaker, the call's route kept for the thread, the outcome charged to that master) and through a plain Jedis
 * {@link RedisClusterClient} on the same Cluster, at N threads; the four cases run in an order that turns from rep
 * to rep, and manager and raw are compared rep by rep.
 *
 * <p>{@code benchmarks/run.sh cluster [threads=8] [reps=5] [seconds=2]}
 */
public final class ClusterBenchmark {
    private static final int KEYS = 512;

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long millis = (args.length > 2 ? Long.parseLong(args[2]) : 2) * 1000;
        try (RedisCluster cluster = RedisCluster.start(3)) {
            Set<HostAndPort> nodes = new LinkedHashSet<>();
            for (RedisServer s : cluster.nodes()) {
                nodes.add(new HostAndPort(s.host(), s.port()));
            }
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            pool.setMaxTotal(Math.max(8, threads * 2));
            pool.setMaxIdle(Math.max(8, threads * 2));
            Map<String, String> config = new LinkedHashMap<>(cluster.managerConfig());
            config.put("redis.crew.pool.max-total", String.valueOf(Math.max(8, threads * 2)));
            config.put("redis.crew.pool.max-idle", String.valueOf(Math.max(8, threads * 2)));
            try (RedisClusterClient raw = RedisClusterClient.builder().nodes(nodes).poolConfig(pool).maxAttempts(3)
                    .build();
                    JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(Bench.config(config)), null)) {
                for (int k = 0; k < KEYS; k++) {
                    raw.set(key(k), "value-" + k);
                }
                Map<String, Bench.Op> ops = new LinkedHashMap<>();
                ops.put("raw GET", (t, i) -> raw.get(key(t, i)));
                ops.put("execute GET", (t, i) -> redis.execute(j -> j.get(key(t, i))));
                ops.put("raw INCR", (t, i) -> raw.incr(counter(t, i)));
                ops.put("execute INCR", (t, i) -> redis.execute(j -> j.incr(counter(t, i))));
                for (Bench.Op op : ops.values()) {
                    Bench.throughput(threads, Duration.ofMillis(500), Duration.ofMillis(1), op); // warm-up
                }
                Map<String, double[]> runs = new LinkedHashMap<>();
                ops.keySet().forEach(k -> runs.put(k, new double[reps]));
                java.util.List<String> names = new java.util.ArrayList<>(ops.keySet());
                for (int r = 0; r < reps; r++) {
                    for (int k = 0; k < names.size(); k++) { // the order of the cases turns from rep to rep
                        String name = names.get(Bench.caseAt(r, k, names.size()));
                        runs.get(name)[r] = Bench.throughput(threads, Duration.ZERO, Duration.ofMillis(millis),
                                ops.get(name));
                    }
                }
                System.out.printf("# Redis Cluster of 3 masters, %d threads, %d reps of %d ms, %d keys over the "
                        + "masters%n", threads, reps, millis, KEYS);
                Bench.row("raw GET", runs.get("raw GET"), runs.get("raw GET"));
                Bench.row("execute GET", runs.get("execute GET"), runs.get("raw GET"));
                Bench.row("raw INCR", runs.get("raw INCR"), runs.get("raw INCR"));
                Bench.row("execute INCR", runs.get("execute INCR"), runs.get("raw INCR"));
            }
        }
    }

    private static String key(int k) {
        return "{k" + k + "}:v";
    }

    private static String key(int thread, long i) {
        return key((int) ((thread * 131 + i) % KEYS));
    }

    private static String counter(int thread, long i) {
        return "{k" + (int) ((thread * 131 + i) % KEYS) + "}:n";
    }
}
