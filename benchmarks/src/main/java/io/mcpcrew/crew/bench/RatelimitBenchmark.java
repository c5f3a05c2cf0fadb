package io.mcpcrew.crew.bench;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.mcpcrew.crew.redis.CoalescingStats;
import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.ratelimit.Limit;
import io.mcpcrew.crew.ratelimit.LimitUnit;
import io.mcpcrew.crew.ratelimit.Quota;
import io.mcpcrew.crew.ratelimit.QuotaDecision;
import io.mcpcrew.crew.ratelimit.RateLimitDecision;
import io.mcpcrew.crew.ratelimit.RedisRateLimiter;
import io.mcpcrew.crew.ratelimit.TenantRateLimiter;
import io.mcpcrew.crew.redis.JedisRedisManager;
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
 * (the expensive path: a write per call). The limiter also runs through a second manager with one coalescing lane,
 * to compare with the default in the same run. Prints the median of {@code reps} runs, the ratios to the baselines,
 * and the same ratios paired by rep (see {@link Bench#pairedRatios}).
 *
 * <p>Args: {@code [reps=5] [measureSeconds=2] [warmupSeconds=1] [case-regex]}. Run with {@code benchmarks/run.sh ratelimit}.
 */
public final class RatelimitBenchmark {
    /** The limits of the token-bucket cases: high enough that every check, of cost 1 or 100,000, is admitted. */
    private static final long BIG = 1_000_000_000_000L;
    /** The quota ratios, paired by rep: what, case, baseline, the target. */
    private static final String[][] QUOTA_RATIOS = {
        {"token bucket cost 100000 / cost 1", "crew token bucket cost 100000", "crew token bucket cost 1", "0.9-1.1"},
        {"sliding counter cost 100000 / cost 1", "crew sliding counter cost 100000", "crew sliding counter cost 1", "0.9-1.1"},
        {"token bucket / Bucket4j cost 1", "crew token bucket cost 1", "Bucket4j 8.17 distinct keys", ">= 2"},
        {"token bucket / Bucket4j cost 100000", "crew token bucket cost 100000", "Bucket4j 8.17 cost 100000", ">= 2"},
        {"three limits / one", "crew three limits cost 1", "crew token bucket cost 1", ">= 0.8"}};
    /** The raw baseline: the cheapest script there is. */
    private static final String TRIVIAL = "return 1";

    private RatelimitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Duration measure = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 2);
        Duration warmup = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 1);
        // a 4th argument restricts the run to the cases whose name contains it (e.g. "crew|raw"), for quick checks
        java.util.regex.Pattern only = args.length > 3 ? java.util.regex.Pattern.compile(args[3]) : null;
        Map<String, Double> results = new LinkedHashMap<>();
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Double> clientCpu = new LinkedHashMap<>();
        RedisServer server = Bench.startRedis();
        try {
            Map<String, String> config = Bench.config(Map.of("redis.crew.host", server.host(),
                    "redis.crew.port", String.valueOf(server.port()), "redis.crew.pool.max-total", "32",
                    "redis.crew.pool.max-idle", "32", "redis.crew.ratelimit.max-requests-ceiling", "100000000",
                    "redis.crew.ratelimit.fallback", "fail-closed"));
            JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(config), null);
            UnifiedJedis jedis = Bench.raw(server);
            byte[] trivialSha = jedis.scriptLoad(TRIVIAL).getBytes(StandardCharsets.US_ASCII);
            byte[][] rawKeys = keys("raw");
            byte[][] rawArgs = {"1000000000".getBytes(), "1000000".getBytes(), "1".getBytes(), "1000".getBytes()};

            RedisRateLimiter limiter = new RedisRateLimiter(redis);
            TenantRateLimiter tenant = limiter.forTenant("bench");
            // the same limiter with one coalescing lane (one pipeline in flight, so larger ones), for comparison in
            // the same run; the JAVA_OPTS redis.crew.* keys apply to both managers, this one only fixes the lanes
            Map<String, String> oneLaneConfig = new java.util.HashMap<>(config);
            oneLaneConfig.put("redis.crew.coalesce.lanes", "1");
            JedisRedisManager oneLaneRedis = new JedisRedisManager(RedisCrewConfig.load(oneLaneConfig), null);
            TenantRateLimiter oneLane = new RedisRateLimiter(oneLaneRedis).forTenant("bench1");
            // the same limiter with metrics off (redis.crew.metrics.enabled=false), for the cost of the meters on the
            // hot path, paired by rep with the default (metrics on)
            Map<String, String> metricsOffConfig = new java.util.HashMap<>(config);
            metricsOffConfig.put("redis.crew.metrics.enabled", "false");
            JedisRedisManager metricsOffRedis = new JedisRedisManager(RedisCrewConfig.load(metricsOffConfig), null);
            TenantRateLimiter metricsOff = new RedisRateLimiter(metricsOffRedis).forTenant("bench2");
            System.out.printf("# metrics: %s on the default manager, off on the \"metrics off\" cases%n",
                    redis.metrics().enabled() ? "on" : "OFF (redis.crew.metrics.enabled=false in JAVA_OPTS)");
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
            // the token bucket of large costs: 10^12 units, refilled at Bucket4j's highest rate (1 per ns), so every
            // check of 100,000 units is admitted for the length of a run
            BucketConfiguration b4jBig = BucketConfiguration.builder().addLimit(Bandwidth.builder()
                    .capacity(BIG).refillGreedy(BIG, Duration.ofSeconds(1000)).build()).build();
            BucketProxy[] b4jCostly = new BucketProxy[8];
            for (int i = 0; i < 8; i++) {
                b4jCostly[i] = b4j.builder().build(("b4j:big:" + i).getBytes(StandardCharsets.UTF_8), () -> b4jBig);
            }
            // crew quotas: one token bucket, and three limits (requests, tokens per second, tokens per day) in one check
            Quota bucket = Quota.of(Limit.tokenBucket("tps", LimitUnit.TOKENS, BIG, Duration.ofSeconds(1)));
            Quota counter = Quota.of(Limit.slidingCounter("tps", LimitUnit.TOKENS, BIG, Duration.ofSeconds(1)));
            Quota three = Quota.of(Limit.tokenBucket("rps", LimitUnit.REQUESTS, BIG, Duration.ofSeconds(1)),
                    Limit.tokenBucket("tps", LimitUnit.TOKENS, BIG, Duration.ofSeconds(1)),
                    Limit.slidingCounter("tpd", LimitUnit.TOKENS, BIG, Duration.ofDays(1)));

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

            Map<String, Bench.Op> ops = new LinkedHashMap<>();
            ops.put("raw EVALSHA trivial script",
                    (t, i) -> jedis.evalsha(trivialSha, 1, rawKeys[t], rawArgs[0], rawArgs[1], rawArgs[2], rawArgs[3]));
            // reference: what coalescing alone does for a trivial script (the same pipelines, no rate-limit work)
            ops.put("ref: trivial EVALSHA through the coalescer", (t, i) -> redis.coalesce(
                    p -> p.evalsha(trivialSha, List.of(rawKeys[t]), List.of(rawArgs)),
                    j -> j.evalsha(trivialSha, List.of(rawKeys[t]), List.of(rawArgs))));
            ops.put("crew RateLimiter distinct keys", (t, i) -> admitted(tenant.tryAcquire(resources[t], max, window, 1)));
            ops.put("crew RateLimiter distinct keys, 1 lane", (t, i) -> admitted(oneLane.tryAcquire(resources[t], max, window, 1)));
            ops.put("crew RateLimiter distinct keys, metrics off",
                    (t, i) -> admitted(metricsOff.tryAcquire(resources[t], max, window, 1)));
            ops.put("crew token bucket cost 1, metrics off",
                    (t, i) -> admitted(metricsOff.consume(resources[t], bucket, 1)));
            ops.put("crew RateLimiter hot key", (t, i) -> admitted(tenant.tryAcquire("hot", max, window, 1)));
            ops.put("crew token bucket cost 1", (t, i) -> admitted(tenant.consume(resources[t], bucket, 1)));
            ops.put("crew token bucket cost 100000", (t, i) -> admitted(tenant.consume(resources[t], bucket, 100_000)));
            ops.put("crew sliding counter cost 1", (t, i) -> admitted(tenant.consume("c" + t, counter, 1)));
            ops.put("crew sliding counter cost 100000", (t, i) -> admitted(tenant.consume("c" + t, counter, 100_000)));
            ops.put("crew three limits cost 1", (t, i) -> admitted(tenant.consume("q" + t, three, 1)));
            ops.put("Bucket4j 8.17 distinct keys", (t, i) -> admitted(b4jOwn[t].tryConsume(1)));
            ops.put("Bucket4j 8.17 cost 100000", (t, i) -> admitted(b4jCostly[t].tryConsume(100_000)));
            ops.put("Bucket4j 8.17 hot key", (t, i) -> admitted(b4jHot.tryConsume(1)));
            ops.put("Redisson 4.7 distinct keys", (t, i) -> admitted(rrOwn[t].tryAcquire()));
            ops.put("Redisson 4.7 hot key", (t, i) -> admitted(rrHot.tryAcquire()));
            if (only != null) {
                ops.keySet().removeIf(k -> !only.matcher(k).find());
            }
            // reps interleaved (rep 1 of every case, then rep 2, ...): on a shared machine a burst of load then
            // hits every case alike instead of all the reps of one; odd reps run the cases in reverse order
            Map<String, List<Double>> runs = new LinkedHashMap<>();
            Map<String, List<Double>> cpus = new LinkedHashMap<>();
            Map<String, List<Double>> clientCpus = new LinkedHashMap<>();
            for (int threads : new int[] {1, 8}) {
                for (Map.Entry<String, Bench.Op> e : ops.entrySet()) {
                    Bench.throughput(threads, warmup, Duration.ofMillis(1), e.getValue());
                    runs.put(label(e.getKey(), threads), new ArrayList<>());
                    cpus.put(label(e.getKey(), threads), new ArrayList<>());
                    clientCpus.put(label(e.getKey(), threads), new ArrayList<>());
                }
            }
            List<Map.Entry<String, Bench.Op>> cases = new ArrayList<>(ops.entrySet());
            for (int r = 0; r < reps; r++) {
                for (int threads : new int[] {1, 8}) {
                    for (int k = 0; k < cases.size(); k++) {
                        Map.Entry<String, Bench.Op> e = cases.get(Bench.caseAt(r, k, cases.size()));
                        String l = label(e.getKey(), threads);
                        server.command("CONFIG", "RESETSTAT");
                        long c0 = Bench.redisCpuMicros(server);
                        long j0 = Bench.jvmCpuMicros();
                        double x = Bench.throughput(threads, Duration.ofMillis(200), measure, e.getValue());
                        long j1 = Bench.jvmCpuMicros();
                        long c1 = Bench.redisCpuMicros(server);
                        runs.get(l).add(x);
                        Bench.commandStats(server, l);
                        cpus.get(l).add((c1 - c0) / (x * measure.toMillis() / 1000.0));
                        clientCpus.get(l).add((j1 - j0) / (x * measure.toMillis() / 1000.0));
                    }
                }
                System.out.printf("# rep %d done, load %s%n", r + 1, loadavg());
            }
            for (String l : runs.keySet()) {
                results.put(l, Bench.median(array(runs.get(l))));
                cpu.put(l, Bench.median(array(cpus.get(l))));
                clientCpu.put(l, Bench.median(array(clientCpus.get(l))));
                System.out.printf("%-48s runs %s%n", l, runs.get(l).stream().map(x -> String.format("%.0f", x))
                        .collect(java.util.stream.Collectors.joining(" ")));
            }
            memory(server, tenant);
            CoalescingStats co = redis.coalescing();
            System.out.printf("# coalescing: %d pipelines carried %d checks (%.1f per pipeline)%n", co.pipelines(),
                    co.commands(), co.commandsPerPipeline());
            redisson.shutdown();
            redis.close();
            oneLaneRedis.close();
            metricsOffRedis.close();

            System.out.println();
            System.out.println("## medians (checks/s), Redis and client (this JVM) CPU per check, and ratios");
            for (int threads : new int[] {1, 8}) {
                double raw = results.getOrDefault(label("raw EVALSHA trivial script", threads), Double.NaN);
                for (Map.Entry<String, Double> e : results.entrySet()) {
                    if (e.getKey().endsWith(" @" + threads)) {
                        System.out.printf("%-48s %10.0f checks/s  %5.2fx raw  %6.1f us Redis CPU/check  %6.1f us client CPU/check%n",
                                e.getKey(), e.getValue(), e.getValue() / raw, cpu.get(e.getKey()), clientCpu.get(e.getKey()));
                    }
                }
                double distinct = results.getOrDefault(label("crew RateLimiter distinct keys", threads), Double.NaN);
                double hot = results.getOrDefault(label("crew RateLimiter hot key", threads), Double.NaN);
                System.out.printf("@%d threads: crew/raw %.2f (target >= 0.9), crew/Bucket4j %.2f, crew/Redisson %.2f "
                        + "(targets >= 2), crew hot/distinct %.2f (target >= 0.8)%n", threads, distinct / raw,
                        distinct / results.getOrDefault(label("Bucket4j 8.17 distinct keys", threads), Double.NaN),
                        distinct / results.getOrDefault(label("Redisson 4.7 distinct keys", threads), Double.NaN),
                        hot / distinct);
                System.out.printf("@%d threads hot key: crew/Bucket4j %.2f, crew/Redisson %.2f%n", threads,
                        hot / results.getOrDefault(label("Bucket4j 8.17 hot key", threads), Double.NaN),
                        hot / results.getOrDefault(label("Redisson 4.7 hot key", threads), Double.NaN));
                // rep by rep (the two cases ran seconds apart): the median of those ratios, and their range
                System.out.printf("@%d threads paired by rep: crew/raw %s, crew/coalesced trivial %s, crew/Bucket4j %s, "
                        + "crew/Redisson %s, hot/distinct %s%n", threads,
                        paired(runs, "crew RateLimiter distinct keys", "raw EVALSHA trivial script", threads),
                        paired(runs, "crew RateLimiter distinct keys", "ref: trivial EVALSHA through the coalescer", threads),
                        paired(runs, "crew RateLimiter distinct keys", "Bucket4j 8.17 distinct keys", threads),
                        paired(runs, "crew RateLimiter distinct keys", "Redisson 4.7 distinct keys", threads),
                        paired(runs, "crew RateLimiter hot key", "crew RateLimiter distinct keys", threads));
                for (String[] q : QUOTA_RATIOS) {
                    System.out.printf("@%d threads paired by rep: %s %s (target %s)%n", threads, q[0],
                            paired(runs, q[1], q[2], threads), q[3]);
                }
                System.out.printf("@%d threads paired by rep: metrics on / off: exact log %s, token bucket %s (target >= 0.97)%n",
                        threads, paired(runs, "crew RateLimiter distinct keys", "crew RateLimiter distinct keys, metrics off",
                                threads),
                        paired(runs, "crew token bucket cost 1", "crew token bucket cost 1, metrics off", threads));
                System.out.printf("@%d threads paired by rep: crew with 1 lane / raw %s, 1 lane / 2 lanes (default) %s%n",
                        threads, paired(runs, "crew RateLimiter distinct keys, 1 lane", "raw EVALSHA trivial script", threads),
                        paired(runs, "crew RateLimiter distinct keys, 1 lane", "crew RateLimiter distinct keys", threads));
            }
        } finally {
            server.close();
        }
        System.exit(0);
    }

    /**
     * MEMORY USAGE of one key holding a 1,000,000-tokens-per-minute budget after 2 s of 8 threads checking random
     * costs (1 to 20,000 tokens, so most are refused once the budget is spent), per algorithm; the exact log's for
     * comparison, holding the budget full (1,000,000 units).
     */
    private static void memory(RedisServer server, TenantRateLimiter tenant) throws InterruptedException {
        System.out.println();
        System.out.println("## MEMORY USAGE per key, a budget of 1,000,000 tokens per minute under load");
        for (Limit l : List.of(Limit.tokenBucket("tpm", LimitUnit.TOKENS, 1_000_000, Duration.ofMinutes(1)),
                Limit.slidingCounter("tpm", LimitUnit.TOKENS, 1_000_000, Duration.ofMinutes(1)))) {
            Quota q = Quota.of(l);
            String resource = "mem-" + l.algorithm().text();
            long[] checks = new long[2];
            Bench.throughput(8, Duration.ZERO, Duration.ofSeconds(2), (t, i) -> {
                QuotaDecision d = tenant.consume(resource, q, 1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000));
                synchronized (checks) {
                    checks[d.allowed() ? 0 : 1]++;
                }
            });
            String key = "crew:bench:ratelimit:{bench." + resource + "}:q";
            System.out.printf("%-16s %s bytes (%d checks admitted, %d refused; HLEN %s)%n", l.algorithm().text(),
                    server.command("MEMORY", "USAGE", key, "SAMPLES", "0").substring(1).trim(), checks[0], checks[1],
                    server.command("HLEN", key).substring(1).trim());
        }
        for (int i = 0; i < 1000; i++) {
            tenant.tryAcquire("mem-exact-log", 1_000_000, Duration.ofMinutes(1), 1000);
        }
        System.out.printf("%-16s %s bytes (1,000,000 units counted)%n", "exact-log",
                server.command("MEMORY", "USAGE", "crew:bench:ratelimit:mem-exact-log", "SAMPLES", "0").substring(1).trim());
    }

    private static byte[][] keys(String prefix) {
        byte[][] out = new byte[8][];
        for (int i = 0; i < 8; i++) {
            out[i] = (prefix + ":" + i).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** {@link Bench#paired} of case a against case b; "-" if either did not run. */
    private static String paired(Map<String, List<Double>> runs, String a, String b, int threads) {
        List<Double> x = runs.get(label(a, threads));
        List<Double> y = runs.get(label(b, threads));
        if (x == null || y == null || x.isEmpty()) {
            return "-";
        }
        return Bench.paired(array(x), array(y));
    }

    private static double[] array(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
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

    private static void admitted(QuotaDecision d) {
        admitted(d.allowed());
    }

    private static String loadavg() {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
