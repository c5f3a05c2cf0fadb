package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.UnifiedJedis;

/** Small load-harness toolkit shared by the component benchmarks: throughput at N threads, medians, Redis CPU. */
public final class Bench {
    private static final LongAdder SWITCHES = new LongAdder();
    private static final Map<Integer, UnifiedJedis> RAW = new java.util.HashMap<>();
    private Bench() {
    }

    /** A private redis-server for a benchmark (no persistence), like the tests use. */
    public static RedisServer startRedis() {
        return RedisServer.onFreePort().start();
    }

    /** A RedisManager on that server, pool sized for {@code threads}. */
    public static JedisRedisManager manager(RedisServer server, int threads) {
        return new JedisRedisManager(RedisCrewConfig.load(Bench.config(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()),
                "redis.crew.pool.max-total", String.valueOf(Math.max(8, threads * 2)),
                "redis.crew.pool.max-idle", String.valueOf(Math.max(8, threads * 2))))), null);
    }

    /** A RedisManager like {@link #manager(RedisServer, int)} with {@code overrides} applied last (they win). */
    public static JedisRedisManager manager(RedisServer server, int threads, Map<String, String> overrides) {
        Map<String, String> c = Bench.config(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()),
                "redis.crew.pool.max-total", String.valueOf(Math.max(8, threads * 2)),
                "redis.crew.pool.max-idle", String.valueOf(Math.max(8, threads * 2))));
        c.putAll(overrides);
        return new JedisRedisManager(RedisCrewConfig.load(c), null);
    }

    /**
     * A plain Jedis client on {@code server} for the raw-Redis baselines, one per server for the run: a pool of 128
     * connections, more than any benchmark's threads.
     */
    public static synchronized UnifiedJedis raw(RedisServer server) {
        return RAW.computeIfAbsent(server.port(), port -> {
            redis.clients.jedis.ConnectionPoolConfig pool = new redis.clients.jedis.ConnectionPoolConfig();
            pool.setMaxTotal(128);
            pool.setMaxIdle(128);
            return redis.clients.jedis.RedisClient.builder().hostAndPort(server.host(), port).poolConfig(pool).build();
        });
    }

    /**
     * {@code base} (with the fallback journal off unless it says otherwise) overlaid with every {@code redis.crew.*}
     * system property, so a run can try other settings:
     * {@code JAVA_OPTS=-Dredis.crew.coalesce.enabled=false benchmarks/run.sh ratelimit}.
     */
    public static Map<String, String> config(Map<String, String> base) {
        Map<String, String> out = new java.util.HashMap<>(base);
        // the fallback journal is for writes accepted while Redis is down, which no benchmark measures: without it
        // a run leaves no journal slot in the home directory
        out.putIfAbsent("redis.crew.fallback.journal.enabled", "false");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("redis.crew."))
                .forEach(k -> out.put(k, System.getProperty(k)));
        return out;
    }

    /** The operation measured; {@code i} counts per thread (use it to pick distinct keys). */
    @FunctionalInterface
    public interface Op {
        void run(int thread, long i) throws Exception;
    }

    /**
     * Runs {@code op} on {@code threads} threads for {@code duration} (after a warm-up); returns ops/s. Each thread
     * adds its context switches, start to end, to {@link #workerSwitches()}.
     */
    public static double throughput(int threads, Duration warmup, Duration duration, Op op) throws InterruptedException {
        LongAdder count = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            Thread th = new Thread(() -> {
                long switches = threadSwitches();
                long i = 0;
                try {
                    while (running.get()) {
                        op.run(id, i++);
                        if (counting.get()) {
                            count.increment();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    SWITCHES.add(threadSwitches() - switches);
                    done.countDown();
                }
            });
            th.setDaemon(true);
            ts.add(th);
            th.start();
        }
        Thread.sleep(warmup.toMillis());
        counting.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(duration.toMillis());
        long n = count.sum();
        long t1 = System.nanoTime();
        running.set(false);
        done.await();
        return n / ((t1 - t0) / 1e9);
    }

    /**
     * Which of {@code n} cases runs {@code k}-th in rep {@code rep}: in order in even reps, in reverse in odd ones, so
     * that no case always runs right after the same other one (and after its garbage, its warm caches).
     */
    public static int caseAt(int rep, int k, int n) {
        return rep % 2 == 0 ? k : n - 1 - k;
    }

    /** Context switches (voluntary and involuntary) of every {@link #throughput} worker thread so far (Linux). */
    public static long workerSwitches() {
        return SWITCHES.sum();
    }

    /** This thread's context switches so far, from /proc/thread-self/status; 0 where there is no such file. */
    private static long threadSwitches() {
        long s = 0;
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/thread-self/status"))) {
                if (l.startsWith("voluntary_ctxt_switches") || l.startsWith("nonvoluntary_ctxt_switches")) {
                    s += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return s;
    }

    public static double median(double... xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Median of {@code reps} runs of {@code run}. */
    public static double medianOf(int reps, ThrowingSupplier run) throws Exception {
        double[] xs = new double[reps];
        for (int i = 0; i < reps; i++) {
            xs[i] = run.get();
        }
        return median(xs);
    }

    @FunctionalInterface
    public interface ThrowingSupplier {
        double get() throws Exception;
    }

    /** used_cpu_sys + used_cpu_user of the server, in microseconds (INFO cpu). */
    public static long redisCpuMicros(RedisServer server) {
        double total = 0;
        for (String line : server.command("INFO", "cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return (long) (total * 1_000_000);
    }

    /** CPU time (user + system) of this JVM so far, in microseconds: the client side of a case. */
    public static long jvmCpuMicros() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1000;
    }

    /**
     * With {@code -Dcrew.bench.commandstats}: prints the server's INFO commandstats (calls and µs per call of each
     * command, those run inside scripts included) for {@code label}, then resets them. Shows where Redis time goes.
     */
    public static void commandStats(RedisServer server, String label) {
        if (System.getProperty("crew.bench.commandstats") == null) {
            return;
        }
        System.out.printf("# %s: %s%n", label, java.util.Arrays.stream(server.command("INFO", "commandstats")
                .split("\\r?\\n")).filter(s -> s.startsWith("cmdstat_") && !s.contains("info") && !s.contains("config"))
                .map(s -> s.replaceAll("cmdstat_([^:]*):calls=(\\d+),usec=\\d+,usec_per_call=([0-9.]+).*", "$1 $2x$3us"))
                .collect(java.util.stream.Collectors.joining(", ")));
        server.command("CONFIG", "RESETSTAT");
    }

    public static void row(String label, double opsPerSec, double rawOpsPerSec) {
        System.out.printf("%-48s %12.0f ops/s   %6.2fx raw%n", label, opsPerSec, opsPerSec / rawOpsPerSec);
    }

    /**
     * A case's median beside raw's, and the ratios rep by rep: in rep i the case and raw ran seconds apart, so their
     * ratio does not move with the machine's state from one minute to the next the way the ratio of two medians can.
     * Prints the median of those paired ratios and their range.
     */
    public static void row(String label, double[] runs, double[] rawRuns) {
        System.out.printf("%-48s %12.0f ops/s   %6.2fx raw   paired %s%n", label, median(runs),
                median(runs) / median(rawRuns), paired(runs, rawRuns));
    }

    /** The median of the paired ratios runs[i] / rawRuns[i] and their range, as {@code 0.82x (0.80-0.86)}. */
    public static String paired(double[] runs, double[] rawRuns) {
        double[] ratios = pairedRatios(runs, rawRuns);
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        return String.format("%.2fx (%.2f-%.2f)", median(ratios), sorted[0], sorted[sorted.length - 1]);
    }

    /** runs[i] / rawRuns[i] for every rep i. */
    public static double[] pairedRatios(double[] runs, double[] rawRuns) {
        double[] r = new double[runs.length];
        for (int i = 0; i < runs.length; i++) {
            r[i] = runs[i] / rawRuns[i];
        }
        return r;
    }
}
