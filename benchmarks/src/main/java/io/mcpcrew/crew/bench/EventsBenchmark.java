package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.events.Subscription;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EventManager throughput and latency beside raw Redis, on one private redis-server, in one run:
 * <ul>
 * <li>raw {@code redis-benchmark} XADD (pipelined -P 16 and not pipelined, 8 clients);</li>
 * <li>publish: single events on 8 threads, publishAll batches of 100 on 1 and 4 threads, of 500 on 4;</li>
 * <li>consume + ack: a group of 1 and of 3 consumers draining 200,000 events (batch-size 500);</li>
 * <li>end-to-end latency (publish → handler) at a steady 5,000 events/s, broadcast and group.</li>
 * </ul>
 * Run: {@code benchmarks/run.sh events} (needs {@code redis-benchmark} on the PATH, as the tests need
 * {@code redis-server}).
 */
public final class EventsBenchmark {
    private static final int REPS = 3;
    private static final Duration WARMUP = Duration.ofSeconds(1);
    private static final Duration RUN = Duration.ofSeconds(4);

    private EventsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (RedisServer server = Bench.startRedis()) {
            JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(Bench.config(Map.of("redis.crew.host", server.host(),
                    "redis.crew.port", String.valueOf(server.port()), "redis.crew.pool.max-total", "32",
                    "redis.crew.pool.max-idle", "32", "redis.crew.events.batch-size", "500",
                    // no trimming: the drain test reads back all 200,000 events it wrote
                    "redis.crew.events.max-len", "0"))), null);
            try (redis; RedisEventManager events = new RedisEventManager(redis)) {
                run(server, events.forTenant("bench"));
            }
        }
    }

    private static void run(RedisServer server, TenantEvents t) throws Exception {
        String sample = "{\"n\":12345,\"agent\":\"agent-7\",\"status\":\"running\"}";
        System.out.println("# redis-server on port " + server.port() + "; event data " + sample.length() + " bytes JSON;"
                + " streams not trimmed (max-len 0), batch-size 500;"
                + " median of " + REPS + " runs of " + RUN.getSeconds() + " s (after " + WARMUP.getSeconds() + " s warm-up)");

        // raw Redis, same server, same run
        String[] sameFields = {"v", "1", "type", "task", "tenant", "bench", "ts", "1764400000000", "priority", "normal",
            "data", sample};
        double rawTiny = rawXadd(server, 16, 50, "raw:tiny", "f", "v");
        double rawPipelined = rawXadd(server, 16, 50, "raw:p16", sameFields);
        double rawSingle = rawXadd(server, 1, 8, "raw:p1", sameFields);
        server.command("DEL", "raw:tiny", "raw:p16", "raw:p1");
        System.out.printf("%-58s %12.0f ops/s%n", "raw redis-benchmark XADD s * f v  (-P 16, 50 clients)", rawTiny);
        System.out.printf("%-58s %12.0f ops/s%n", "raw redis-benchmark XADD, event's 6 fields (-P 16, 50 cl.)", rawPipelined);
        System.out.printf("%-58s %12.0f ops/s%n", "raw redis-benchmark XADD, event's 6 fields (-P 1, 8 cl.)", rawSingle);

        Event event = Event.builder(EventType.TASK).dataJson(sample).build();
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(event);
        }
        double single8 = Bench.medianOf(REPS, () -> Bench.throughput(8, WARMUP, RUN, (th, i) -> t.publish(event, "p-single")));
        Bench.row("publish, single, 8 threads", single8, rawSingle);
        double batched1 = Bench.medianOf(REPS, () -> 100 * Bench.throughput(1, WARMUP, RUN, (th, i) -> t.publishAll(batch, "p-batch")));
        Bench.row("publishAll x100, 1 thread", batched1, rawPipelined);
        double batched4 = Bench.medianOf(REPS, () -> 100 * Bench.throughput(4, WARMUP, RUN, (th, i) -> t.publishAll(batch, "p-batch")));
        Bench.row("publishAll x100, 4 threads", batched4, rawPipelined);
        List<Event> big = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            big.add(event);
        }
        double batched500 = Bench.medianOf(REPS, () -> 500 * Bench.throughput(4, WARMUP, RUN, (th, i) -> t.publishAll(big, "p-batch")));
        Bench.row("publishAll x500, 4 threads", batched500, rawPipelined);
        server.command("DEL", "crew:bench:events:{bench.p-single}", "crew:bench:events:{bench.p-batch}");

        for (int consumers : new int[] {1, 3}) {
            double[] rates = new double[REPS];
            for (int r = 0; r < REPS; r++) {
                rates[r] = consumeAndAck(t, consumers, 200_000, batch, "drain-" + consumers + "-" + r);
            }
            System.out.printf("%-58s %12.0f events/s  (runs %s)%n", "group consume+ack, " + consumers + " consumer(s), 200k",
                    Bench.median(rates), Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray()));
        }

        latency(t, false);
        latency(t, true);
    }

    /** Fills a stream, then measures how fast a group drains it (handler + XACK per batch) until nothing is pending. */
    private static double consumeAndAck(TenantEvents t, int consumers, int total, List<Event> batch, String stream)
            throws InterruptedException {
        for (int i = 0; i < total; i += batch.size()) {
            t.publishAll(batch, stream);
        }
        t.createGroup(stream, "g", "0");
        AtomicLong handled = new AtomicLong();
        long t0 = System.nanoTime();
        List<Subscription> subs = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            subs.add(t.subscribe(stream, "g", e -> handled.incrementAndGet()));
        }
        while (handled.get() < total || t.info(stream).get().groups().get(0).pending() > 0) {
            Thread.sleep(2);
        }
        double rate = total / ((System.nanoTime() - t0) / 1e9);
        subs.forEach(Subscription::close);
        return rate;
    }

    /** Publishes at 5,000 events/s for 10 s; the handler records publish → delivery time (same JVM clock). */
    private static void latency(TenantEvents t, boolean group) throws InterruptedException {
        String stream = group ? "lat-group" : "lat-broadcast";
        int rate = 5000;
        int seconds = 10;
        int n = rate * seconds;
        long[] latencies = new long[n];
        AtomicLong received = new AtomicLong();
        Subscription sub = group ? t.subscribe(stream, "g", e -> record(e, latencies, received))
                : t.subscribe(stream, e -> record(e, latencies, received));
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 50_000));
            }
            t.publish(Event.builder(EventType.TASK).dataJson("{\"i\":" + i + ",\"sent\":" + System.nanoTime() + "}").build(),
                    stream);
        }
        double achieved = n / ((System.nanoTime() - start) / 1e9);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        sub.close();
        int skip = rate; // first second: warm-up
        long[] steady = Arrays.copyOfRange(latencies, skip, n);
        Arrays.sort(steady);
        System.out.printf("%-58s p50 %6.2f ms  p99 %6.2f ms  p99.9 %6.2f ms  max %6.2f ms  (%.0f/s offered, %d/%d received)%n",
                "end-to-end latency at 5k/s, " + (group ? "group" : "broadcast"), ms(pct(steady, 50)), ms(pct(steady, 99)),
                ms(pct(steady, 99.9)), ms(steady[steady.length - 1]), achieved, received.get(), n);
    }

    private static void record(Event e, long[] latencies, AtomicLong received) {
        long now = System.nanoTime();
        Map<?, ?> d = (Map<?, ?>) e.data();
        int i = ((Number) d.get("i")).intValue();
        latencies[i] = now - ((Number) d.get("sent")).longValue();
        received.incrementAndGet();
    }

    private static long pct(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static final Pattern RPS = Pattern.compile(":\\s*([0-9.]+) requests per second");

    /** Runs redis-benchmark against the same server and returns requests/s. */
    private static double rawXadd(RedisServer server, int pipeline, int clients, String key, String... fields)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-benchmark", "-h", server.host(), "-p",
                String.valueOf(server.port()), "-n", "200000", "-c", String.valueOf(clients), "-P", String.valueOf(pipeline),
                "-q", "XADD", key, "*"));
        cmd.addAll(List.of(fields));
        System.out.println("#   " + String.join(" ", cmd).replace("{", "'{").replace("}", "}'"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = RPS.matcher(out.substring(Math.max(0, out.lastIndexOf('\r') + 1)));
        if (!m.find()) {
            m = RPS.matcher(out);
            double last = -1;
            while (m.find()) {
                last = Double.parseDouble(m.group(1));
            }
            if (last < 0) {
                throw new IllegalStateException("unexpected redis-benchmark output: " + out);
            }
            return last;
        }
        return Double.parseDouble(m.group(1));
    }
}
