package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.redis.CoalescingStats;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * What coalescing costs and saves, on its own: {@code HGETALL} of a 5-field hash and {@code EVALSHA} of
 * {@code return 1}, raw (each thread its own round trip on a pooled connection) and through the coalescer, at N
 * threads on a private redis-server. Per case: calls/s, client (this JVM) and Redis CPU per call, context switches
 * per call of the calling threads (voluntary + involuntary, from {@code /proc/thread-self/status}) and calls per
 * pipeline. Reps interleaved.
 *
 * <p>{@code benchmarks/run.sh coalescer [threads=8] [reps=3] [seconds=2]}; {@code JAVA_OPTS=-Dredis.crew.coalesce.lanes=N}
 * tries other lane counts.
 */
public final class CoalescerBenchmark {
    private CoalescerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long millis = (args.length > 2 ? Long.parseLong(args[2]) : 2) * 1000;
        try (RedisServer server = Bench.startRedis(); JedisRedisManager redis = Bench.manager(server, threads)) {
            UnifiedJedis j = Bench.raw(server);
            String sha = j.scriptLoad("return 1");
            for (int i = 0; i < threads; i++) {
                j.hset("h" + i, Map.of("a", "1", "b", "two", "c", "three3", "d", "4444", "e", "55555"));
            }
            Map<String, Bench.Op> ops = new LinkedHashMap<>();
            ops.put("raw HGETALL", (t, i) -> j.hgetAll("h" + t));
            ops.put("coalesced HGETALL", (t, i) -> redis.coalesce(p -> p.hgetAll("h" + t), c -> c.hgetAll("h" + t)));
            ops.put("raw EVALSHA return 1", (t, i) -> j.evalsha(sha, 1, "k" + t));
            ops.put("coalesced EVALSHA return 1", (t, i) -> redis.coalesce(
                    p -> p.evalsha(sha, List.of("k" + t), List.of()), c -> c.evalsha(sha, List.of("k" + t), List.of())));
            for (Bench.Op op : ops.values()) {
                Bench.throughput(threads, Duration.ofMillis(500), Duration.ofMillis(1), op); // warm-up
            }
            Map<String, List<String>> rows = new LinkedHashMap<>();
            for (int r = 0; r < reps; r++) {
                for (Map.Entry<String, Bench.Op> e : ops.entrySet()) {
                    long s0 = Bench.workerSwitches();
                    long j0 = Bench.jvmCpuMicros();
                    long r0 = Bench.redisCpuMicros(server);
                    CoalescingStats c0 = redis.coalescing();
                    double x = Bench.throughput(threads, Duration.ZERO, Duration.ofMillis(millis), e.getValue());
                    long s1 = Bench.workerSwitches();
                    long j1 = Bench.jvmCpuMicros();
                    long r1 = Bench.redisCpuMicros(server);
                    CoalescingStats c1 = redis.coalescing();
                    double calls = x * millis / 1000.0;
                    rows.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(String.format(
                            "%6.0f/s client %5.1f us, Redis %5.1f us, %4.2f switches, %3.1f per pipeline", x,
                            (j1 - j0) / calls, (r1 - r0) / calls, (s1 - s0) / calls,
                            c1.since(c0).commandsPerPipeline()));
                }
            }
            System.out.printf("# %d threads, %d reps of %d ms; per call: client CPU, Redis CPU, context switches of the "
                    + "calling threads, calls per pipeline%n", threads, reps, millis);
            rows.forEach((k, v) -> System.out.printf("%-28s %s%n", k, String.join(" | ", v)));
        }
    }
}
