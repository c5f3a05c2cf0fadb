package io.mcpcrew.crew.bench;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.ratelimit.RateLimitDecision;
import io.mcpcrew.crew.ratelimit.RedisRateLimiter;
import io.mcpcrew.crew.ratelimit.TenantRateLimiter;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.redisson.Redisson;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.UnifiedJedis;

/**
 * Rate-limit checks per second, all in one run on one private redis-server: raw EVALSHA of a trivial script (the
 * ceiling of one script round trip through the same Jedis client), {@link RedisRateLimiter#forTenant} /
 * {@code tryAcquire}, Bucket4j 8.17 (Jedis, CAS) and Redisson 4.7 {@code RRateLimiter}; at 1 and 8 threads, on one
 * key per thread ("distinct") and on one shared key ("hot"). Every limit is set high so every call is admitted
 * (the expensive path: a write per call). Prints the median of {@code reps} runs and the ratios the issue asks for.
 *
 * <p>Args: {@code [reps=3] [measureSeconds=3] [warmupSeconds=1]}. Run with {@code benchmarks/run.sh ratelimit}.
 */
public final class RatelimitBenchmark {
    private static final LuaScript TRIVIAL = LuaScript.of("trivial", "return 1");

    private RatelimitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Duration measure = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 3);
        Duration warmup = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 1);
        Map<String, Double> results = new LinkedHashMap<>();
        Map<String, Double> cpu = new LinkedHashMap<>();
        RedisServer server = Bench.startRedis();
        try {
            JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(Map.of("redis.crew.host", server.host(),
                    "redis.crew.port", String.valueOf(server.port()), "redis.crew.pool.max-total", "32",
                    "redis.crew.pool.max-idle", "32", "redis.crew.ratelimit.max-requests-ceiling", "100000000",
                    "redis.crew.ratelimit.fallback", "fail-closed")), null);
            UnifiedJedis jedis = redis.client();
            byte[] trivialSha = jedis.scriptLoad(TRIVIAL.source()).getBytes(StandardCharsets.US_ASCII);
            byte[][] rawKeys = keys("raw");
            byte[][] rawArgs = {"1000000000".getBytes(), "1000000".getBytes(), "1".getBytes(), "1000".getBytes()};

            RedisRateLimiter limiter = new RedisRateLimiter(redis);
            TenantRateLimiter tenant = limiter.forTenant("bench");
            String[] resources = new String[8];
            for (int i = 0; i < 8; i++) {
                resources[i] = "r" + i;
            }
            int max = 100_000_000;
            Duration window = Duration.ofSeconds(1);

            ProxyManager<byte[]> b4j = Bucket4jJedis.casBasedBuilder(jedis)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(60)))
                    .build();
            BucketConfiguration b4jConfig = BucketConfiguration.builder().addLimit(Bandwidth.builder()
                    .capacity(1_000_000_000L).refillGreedy(1_000_000_000L, Duration.ofSeconds(1)).build()).build();
            BucketProxy[] b4jOwn = new BucketProxy[8];
            for (int i = 0; i < 8; i++) {
                b4jOwn[i] = b4j.builder().build(("b4j:" + i).getBytes(StandardCharsets.UTF_8), () -> b4jConfig);
            }
            BucketProxy b4jHot = b4j.builder().build("b4j:hot".getBytes(StandardCharsets.UTF_8), () -> b4jConfig);

            Config rc = new Config();
            rc.useSingleServer().setAddress("redis://" + server.host() + ":" + server.port())
                    .setConnectionPoolSize(32).setConnectionMinimumIdleSize(8);
            RedissonClient redisson = Redisson.create(rc);
            RRateLimiter[] rrOwn = new RRateLimiter[8];
            for (int i = 0; i < 8; i++) {
                rrOwn[i] = redisson.getRateLimiter("rrl:" + i);
                rrOwn[i].trySetRate(RateType.OVERALL, 1_000_000_000L, Duration.ofSeconds(1));
            }
            RRateLimiter rrHot = redisson.getRateLimiter("rrl:hot");
            rrHot.trySetRate(RateType.OVERALL, 1_000_000_000L, Duration.ofSeconds(1));

            for (int threads : new int[] {1, 8}) {
                run(results, cpu, server, "raw EVALSHA trivial script", threads, reps, warmup, measure,
                        (t, i) -> jedis.evalsha(trivialSha, 1, rawKeys[t], rawArgs[0], rawArgs[1], rawArgs[2], rawArgs[3]));
                run(results, cpu, server, "crew RateLimiter distinct keys", threads, reps, warmup, measure,
                        (t, i) -> admitted(tenant.tryAcquire(resources[t], max, window, 1)));
                run(results, cpu, server, "crew RateLimiter hot key", threads, reps, warmup, measure,
                        (t, i) -> admitted(tenant.tryAcquire("hot", max, window, 1)));
                run(results, cpu, server, "Bucket4j 8.17 distinct keys", threads, reps, warmup, measure,
                        (t, i) -> admitted(b4jOwn[t].tryConsume(1)));
                run(results, cpu, server, "Bucket4j 8.17 hot key", threads, reps, warmup, measure,
                        (t, i) -> admitted(b4jHot.tryConsume(1)));
                run(results, cpu, server, "Redisson 4.7 distinct keys", threads, reps, warmup, measure,
                        (t, i) -> admitted(rrOwn[t].tryAcquire()));
                run(results, cpu, server, "Redisson 4.7 hot key", threads, reps, warmup, measure,
                        (t, i) -> admitted(rrHot.tryAcquire()));
            }
            redisson.shutdown();
            redis.close();

            System.out.println();
            System.out.println("## medians (checks/s), Redis CPU per check, and ratios");
            for (int threads : new int[] {1, 8}) {
                double raw = results.get(label("raw EVALSHA trivial script", threads));
                for (Map.Entry<String, Double> e : results.entrySet()) {
                    if (e.getKey().endsWith(" @" + threads)) {
                        System.out.printf("%-48s %10.0f checks/s  %5.2fx raw  %6.1f us Redis CPU/check%n", e.getKey(),
                                e.getValue(), e.getValue() / raw, cpu.get(e.getKey()));
                    }
                }
                double distinct = results.get(label("crew RateLimiter distinct keys", threads));
                double hot = results.get(label("crew RateLimiter hot key", threads));
                System.out.printf("@%d threads: crew/raw %.2f (target >= 0.9), crew/Bucket4j %.2f, crew/Redisson %.2f "
                        + "(targets >= 2), crew hot/distinct %.2f (target >= 0.8)%n", threads, distinct / raw,
                        distinct / results.get(label("Bucket4j 8.17 distinct keys", threads)),
                        distinct / results.get(label("Redisson 4.7 distinct keys", threads)), hot / distinct);
                System.out.printf("@%d threads hot key: crew/Bucket4j %.2f, crew/Redisson %.2f%n", threads,
                        hot / results.get(label("Bucket4j 8.17 hot key", threads)),
                        hot / results.get(label("Redisson 4.7 hot key", threads)));
            }
        } finally {
            server.close();
        }
        System.exit(0);
    }

    private static byte[][] keys(String prefix) {
        byte[][] out = new byte[8][];
        for (int i = 0; i < 8; i++) {
            out[i] = (prefix + ":" + i).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static String label(String name, int threads) {
        return name + " @" + threads;
    }

    private static void admitted(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("a check was refused: the benchmark's limits must admit every call");
        }
    }

    private static void admitted(RateLimitDecision d) {
        admitted(d.allowed());
    }

    private static void run(Map<String, Double> results, Map<String, Double> cpu, RedisServer server, String name,
            int threads, int reps, Duration warmup, Duration measure, Bench.Op op) throws Exception {
        List<Double> xs = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        Bench.throughput(threads, warmup, Duration.ofMillis(1), op);
        for (int r = 0; r < reps; r++) {
            long c0 = Bench.redisCpuMicros(server);
            double ops = Bench.throughput(threads, Duration.ZERO, measure, op);
            long c1 = Bench.redisCpuMicros(server);
            xs.add(ops);
            cpus.add((c1 - c0) / (ops * measure.toMillis() / 1000.0));
        }
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] c = cpus.stream().mapToDouble(Double::doubleValue).toArray();
        results.put(label(name, threads), Bench.median(a));
        cpu.put(label(name, threads), Bench.median(c));
        System.out.printf("%-48s runs %s -> median %.0f checks/s%n", label(name, threads), xs, Bench.median(a));
    }
}
