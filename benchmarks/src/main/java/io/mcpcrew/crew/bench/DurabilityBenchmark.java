package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cost of {@code redis.crew.durability.replicas=1}: single-task enqueues ({@code enqueue}, one script each) on a
 * private master with one replica (both {@code redis-server} processes of this machine), through a manager with
 * durability off beside one with {@code replicas=1} (the {@code EVALSHA} and a {@code WAIT 1} in one pipeline),
 * alternating by rep (in even reps "off" runs first, in odd reps "replicas=1"). Two cases: one thread (the latency of
 * one enqueue: a round trip, plus the replica's acknowledgement when on) and 8 threads. Each case enqueues {@code n}
 * tasks (from 8 threads, {@code n / 8} each) and reports tasks/s; the ratio on/off is paired by rep. Then the drain of
 * {@code n} no-op tasks by one worker at concurrency 10 (every ack-and-claim round trip followed by {@code WAIT 1}
 * when on).
 *
 * <p>{@code benchmarks/run.sh durability [reps=5] [n=20000]}.
 */
public final class DurabilityBenchmark {
    private DurabilityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        try (RedisServer master = RedisServer.onFreePort("--repl-diskless-sync-delay", "0").start();
                RedisServer replica = RedisServer.onFreePort("--replicaof", master.host(),
                        String.valueOf(master.port())).start();
                JedisRedisManager off = Bench.manager(master, 8, Map.of("redis.crew.durability.replicas", "0"));
                JedisRedisManager on = Bench.manager(master, 8, Map.of("redis.crew.durability.replicas", "1"))) {
            RedisSentinel.awaitInSync(replica);
            RedisTaskQueues[] qs = {new RedisTaskQueues(off), new RedisTaskQueues(on)};
            System.out.printf("# DurabilityBenchmark: %d single enqueues per case, %d reps, master on port %d, replica "
                    + "on port %d (durability timeout %s)%n", n, reps, master.port(), replica.port(),
                    io.mcpcrew.crew.config.Durations.format(on.config().durabilityTimeout()));
            for (int threads : new int[] {1, 8}) {
                double[][] rate = new double[2][reps];
                for (int r = 0; r < reps; r++) {
                    for (int k = 0; k < 2; k++) {
                        int m = Bench.caseAt(r, k, 2);
                        master.flushAll();
                        RedisSentinel.awaitInSync(replica);
                        rate[m][r] = enqueue(qs[m].forTenant("bench").queue("single"), n, threads);
                    }
                }
                System.out.printf("%-44s off %9.0f tasks/s  replicas=1 %9.0f tasks/s  replicas=1/off paired %s%n",
                        "single enqueue, " + threads + (threads == 1 ? " thread" : " threads"), Bench.median(rate[0]),
                        Bench.median(rate[1]), Bench.paired(rate[1], rate[0]));
            }
            // the workers' ack-and-claim round trips, confirmed by the replica with the opt-in
            double[][] drained = new double[2][reps];
            List<NewTask> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                batch.add(new NewTask("noop", "{}", TaskPriority.NORMAL));
            }
            for (int r = 0; r < reps; r++) {
                for (int k = 0; k < 2; k++) {
                    int m = Bench.caseAt(r, k, 2);
                    master.flushAll();
                    RedisSentinel.awaitInSync(replica);
                    TaskQueue q = qs[m].forTenant("bench").queue("drain");
                    q.enqueueAll(batch);
                    RedisSentinel.awaitInSync(replica);
                    drained[m][r] = TasksBenchmark.drain(q, n, 10);
                }
            }
            System.out.printf("%-44s off %9.0f tasks/s  replicas=1 %9.0f tasks/s  replicas=1/off paired %s%n",
                    "drain, concurrency 10", Bench.median(drained[0]), Bench.median(drained[1]),
                    Bench.paired(drained[1], drained[0]));
        }
    }

    /** Enqueues {@code n} tasks one call each from {@code threads} threads; returns tasks/s. */
    static double enqueue(TaskQueue q, int n, int threads) throws InterruptedException {
        int each = Math.max(1, n / threads);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        q.enqueue("noop", "{}", TaskPriority.NORMAL);
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
            th.setDaemon(true);
            ts.add(th);
            th.start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        done.await();
        double rate = each * (double) threads / ((System.nanoTime() - t0) / 1e9);
        if (failed.get() != null) {
            throw new IllegalStateException("an enqueue failed: " + failed.get(), failed.get());
        }
        return rate;
    }
}
