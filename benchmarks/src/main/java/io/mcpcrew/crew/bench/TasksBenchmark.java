package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskWorker;
import io.mcpcrew.crew.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * TaskQueue throughput on a private redis-server, the same scenarios as the BullMQ benchmark
 * ({@code benchmarks/bullmq/bullmq_bench.mjs}; {@code benchmarks/run.sh tasks-vs-bullmq} runs both, paired by
 * rep): bulk enqueue of 50,000 tasks; drain of 50,000 no-op tasks by one
 * worker at concurrency 1, 10 and 50 (NORMAL, and random priorities); Redis CPU microseconds per task (INFO cpu
 * deltas). Beside them, raw Redis in the same run: pipelined ZADD (the floor of an enqueue) and ZPOPMIN in
 * batches of 50 (the floor of a claim, without leases, acks or records).
 *
 * <p>{@code benchmarks/run.sh tasks [reps] [n]} (defaults 3 and 50000). Prints one line per figure: the median of
 * the repetitions. {@code JAVA_OPTS=-Dcrew.bench.completions=1} adds a completion listener (counting the notices),
 * so the drain includes the completion notices.
 */
public final class TasksBenchmark {
    private TasksBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        if (args.length > 2 && args[2].equals("metrics")) {
            try (RedisServer server = Bench.startRedis()) {
                metricsOnOff(server, n, reps);
            }
            return;
        }
        try (RedisServer server = Bench.startRedis(); JedisRedisManager redis = Bench.manager(server, 64)) {
            RedisTaskQueues queues = new RedisTaskQueues(redis);
            java.util.concurrent.atomic.LongAdder notices = new java.util.concurrent.atomic.LongAdder();
            if (Boolean.getBoolean("crew.bench.completions")) {
                queues.addCompletionListener(c -> notices.increment());
                System.out.println("# completion notices on: a listener counts them");
            }
            System.out.printf("# TasksBenchmark: %d tasks per run, median of %d runs, redis-server on port %d%n", n, reps,
                    server.port());

            double[] rawCpu = new double[reps];
            double rawZadd = medianOf(reps, i -> {
                long c0 = Bench.redisCpuMicros(server);
                double rate = rawZadd(server, redis, n);
                rawCpu[i] = (Bench.redisCpuMicros(server) - c0) / (double) n;
                return rate;
            });
            double rawPop = Bench.medianOf(reps, () -> rawZpopmin(server, redis, n));
            System.out.printf("%-52s %10.0f ops/s   Redis CPU %5.2f µs/op (calibration: the box's cost of one "
                    + "small command)%n", "raw Redis: pipelined ZADD (batches of 500)", rawZadd, Bench.median(rawCpu));
            System.out.printf("%-52s %10.0f ops/s%n", "raw Redis: ZPOPMIN 50 per round trip", rawPop);

            for (boolean randomPriorities : new boolean[] {false, true}) {
                String p = randomPriorities ? ", random priorities" : "";
                double[] cpu = new double[reps];
                double enqueue = medianOf(reps, i -> {
                    server.flushAll();
                    long c0 = Bench.redisCpuMicros(server);
                    double rate = enqueue(queues.forTenant("bench").queue("q"), n, randomPriorities);
                    cpu[i] = (Bench.redisCpuMicros(server) - c0) / (double) n;
                    return rate;
                });
                System.out.printf("%-52s %10.0f tasks/s  %6.2fx raw ZADD   Redis CPU %5.1f µs/task%n",
                        "bulk enqueue (enqueueAll, 500 per script" + p + ")", enqueue, enqueue / rawZadd,
                        Bench.median(cpu));
                for (int concurrency : new int[] {1, 10, 50}) {
                    double[] drainCpu = new double[reps];
                    double[] totalCpu = new double[reps];
                    double[] calls = new double[reps];
                    double[] inScripts = new double[reps];
                    double drain = medianOf(reps, i -> {
                        server.flushAll();
                        TaskQueue q = queues.forTenant("bench").queue("drain");
                        long c0 = Bench.redisCpuMicros(server);
                        enqueue(q, n, randomPriorities);
                        long c1 = Bench.redisCpuMicros(server);
                        long e1 = evalCalls(server);
                        long u1 = evalMicros(server);
                        double rate = drain(q, n, concurrency);
                        long c2 = Bench.redisCpuMicros(server);
                        calls[i] = (evalCalls(server) - e1) / (double) n;
                        inScripts[i] = (evalMicros(server) - u1) / (double) n;
                        drainCpu[i] = (c2 - c1) / (double) n;
                        totalCpu[i] = (c2 - c0) / (double) n;
                        return rate;
                    });
                    System.out.printf("%-52s %10.0f tasks/s  %6.2fx raw ZPOPMIN Redis CPU %5.1f µs/task process, "
                            + "%5.1f add+process; %.3f scripts/task, %4.1f µs/task inside them%n",
                            "drain, concurrency " + concurrency + p, drain, drain / rawPop, Bench.median(drainCpu),
                            Bench.median(totalCpu), Bench.median(calls), Bench.median(inScripts));
                }
            }
            if (Boolean.getBoolean("crew.bench.completions")) {
                System.out.println("# completion notices heard: " + notices.sum());
            }
            metricsOnOff(server, n, reps);
        }
    }

    /**
     * The cost of the meters on the task hot paths, in the same run: a manager with metrics on (the default) beside
     * one with {@code redis.crew.metrics.enabled=false}, alternating by rep (in even reps "on" runs first, in odd reps
     * "off"): single-task enqueues ({@code enqueue}, one script each) from 8 threads for 2 s, and the drain of
     * {@code n} tasks by one worker at concurrency 10. Prints the medians and the ratio on/off paired by rep (target:
     * at least 0.97, metrics cost at most 3%).
     */
    static void metricsOnOff(RedisServer server, int n, int reps) throws Exception {
        try (JedisRedisManager on = Bench.manager(server, 64, Map.of());
                JedisRedisManager off = Bench.manager(server, 64, Map.of("redis.crew.metrics.enabled", "false"))) {
            RedisTaskQueues[] qs = {new RedisTaskQueues(on), new RedisTaskQueues(off)};
            System.out.printf("%n## metrics on / off (on: %s), paired by rep%n", on.metrics().enabled() ? "enabled"
                    : "DISABLED by JAVA_OPTS");
            double[][] enq = new double[2][reps];
            double[][] drained = new double[2][reps];
            for (int r = 0; r < reps; r++) {
                for (int k = 0; k < 2; k++) {
                    int m = Bench.caseAt(r, k, 2);
                    server.flushAll();
                    TaskQueue single = qs[m].forTenant("bench").queue("single");
                    enq[m][r] = Bench.throughput(8, Duration.ofMillis(500), Duration.ofSeconds(2),
                            (t, i) -> single.enqueue("noop", "{}", TaskPriority.NORMAL));
                    server.flushAll();
                    TaskQueue d = qs[m].forTenant("bench").queue("drain");
                    enqueue(d, n, false);
                    drained[m][r] = drain(d, n, 10);
                }
            }
            System.out.printf("%-52s on %10.0f tasks/s  off %10.0f tasks/s  on/off paired %s (target >= 0.97)%n",
                    "single enqueue, 8 threads", Bench.median(enq[0]), Bench.median(enq[1]),
                    Bench.paired(enq[0], enq[1]));
            System.out.printf("%-52s on %10.0f tasks/s  off %10.0f tasks/s  on/off paired %s (target >= 0.97)%n",
                    "drain, concurrency 10", Bench.median(drained[0]), Bench.median(drained[1]),
                    Bench.paired(drained[0], drained[1]));
        }
    }

    @FunctionalInterface
    interface Run {
        double run(int rep) throws Exception;
    }

    static double medianOf(int reps, Run run) throws Exception {
        double[] xs = new double[reps];
        for (int i = 0; i < reps; i++) {
            xs[i] = run.run(i);
        }
        return Bench.median(xs);
    }

    /** EVALSHA calls so far (INFO commandstats). */
    static long evalCalls(RedisServer server) {
        return evalStat(server, "calls");
    }

    /** Microseconds spent in EVALSHA so far (INFO commandstats). */
    static long evalMicros(RedisServer server) {
        return evalStat(server, "usec");
    }

    private static long evalStat(RedisServer server, String field) {
        for (String line : server.command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:")) {
                for (String part : line.substring("cmdstat_evalsha:".length()).split(",")) {
                    if (part.startsWith(field + "=")) {
                        return Long.parseLong(part.substring(field.length() + 1));
                    }
                }
            }
        }
        return 0;
    }

    static double enqueue(TaskQueue q, int n, boolean randomPriorities) {
        Random random = new Random(7);
        List<NewTask> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TaskPriority p = randomPriorities ? TaskPriority.values()[random.nextInt(4)] : TaskPriority.NORMAL;
            // the payload shape of the BullMQ comparison: {i, user, ts}
            tasks.add(new NewTask("noop", "{\"i\":" + i + ",\"user\":\"u" + (i % 1000) + "\",\"ts\":"
                    + System.currentTimeMillis() + "}", p));
        }
        long t0 = System.nanoTime();
        q.enqueueAll(tasks);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** Starts a worker once everything is enqueued; times until it has acknowledged all n. */
    static double drain(TaskQueue q, int n, int concurrency) throws InterruptedException {
        long t0 = System.nanoTime();
        TaskWorker w = q.startWorker(task -> null, concurrency);
        while (w.succeeded() < n) {
            Thread.sleep(1);
        }
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        w.stop(Duration.ofSeconds(10));
        return rate;
    }

    static double rawZadd(RedisServer server, JedisRedisManager redis, int n) {
        server.flushAll();
        UnifiedJedis j = Bench.raw(server);
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += 500) {
            try (AbstractPipeline p = j.pipelined()) {
                for (int i = from; i < Math.min(n, from + 500); i++) {
                    p.zadd("raw:q", i, "m" + i);
                }
                p.sync();
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static double rawZpopmin(RedisServer server, JedisRedisManager redis, int n) {
        rawZadd(server, redis, n);
        UnifiedJedis j = Bench.raw(server);
        long t0 = System.nanoTime();
        int popped = 0;
        while (popped < n) {
            popped += j.zpopmin("raw:q", 50).size();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
