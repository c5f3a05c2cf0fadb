package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.metrics.Scrape;
import io.mcpcrew.crew.metrics.ScrapeReport;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.sessions.RedisSessionManager;
import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.testing.RedisServer;
import java.util.List;
import java.util.Map;

/**
 * One scrape of the metrics with many tenants: {@code tenants} tenants with {@code queues} queues each (one pending
 * task per queue), one stream with a consumer group and one session per tenant, on a private redis-server. Each rep
 * reads the Redis gauges anew ({@code CrewMetrics.readNow}: INFO, every queue's stats, every stream, the active
 * sessions) and writes the exposition text, as {@code GET /api/v1/metrics} does when its read interval has passed.
 * Prints the median and the worst of the read and of the whole scrape, the round trips and commands of a read, the
 * Redis CPU per read and the size of the text. Targets (1,000 tenants x 3 queues): a scrape within 200 ms and 20 round
 * trips.
 *
 * <p>{@code benchmarks/run.sh scrape [reps=10] [tenants=1000] [queues=3]}
 */
public final class ScrapeBenchmark {
    private ScrapeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int tenants = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int queues = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (RedisServer server = Bench.startRedis(); JedisRedisManager redis = Bench.manager(server, 8,
                Map.of("redis.crew.metrics.enabled", "true"))) {
            RedisTaskQueues tasks = new RedisTaskQueues(redis);
            RedisEventManager events = new RedisEventManager(redis);
            RedisSessionManager sessions = new RedisSessionManager(redis);
            for (int t = 0; t < tenants; t++) {
                String tenant = "t" + t;
                for (int q = 0; q < queues; q++) {
                    tasks.forTenant(tenant).queue("q" + q).enqueueAll(List.of(new NewTask("n", "{}", TaskPriority.NORMAL)));
                }
                events.forTenant(tenant).publish(Event.builder(EventType.of("x")).build(), "s");
                events.forTenant(tenant).subscribe("s", "g", e -> { }).close();
                sessions.forTenant(tenant).createSession("u", Map.of());
            }
            System.out.printf("# ScrapeBenchmark: %d tenants x %d queues (+1 stream with a group, 1 session each), "
                    + "median of %d reps, redis-server on port %d%n", tenants, queues, reps, server.port());
            redis.metrics().readNow(); // warm: scripts loaded, meters registered
            double[] read = new double[reps];
            double[] whole = new double[reps];
            double[] cpu = new double[reps];
            ScrapeReport last = null;
            int bytes = 0;
            for (int r = 0; r < reps; r++) {
                long c0 = Bench.redisCpuMicros(server);
                long t0 = System.nanoTime();
                last = redis.metrics().readNow();
                long t1 = System.nanoTime();
                Scrape s = redis.metrics().scrape("text/plain"); // within the read interval: the text only
                long t2 = System.nanoTime();
                cpu[r] = Bench.redisCpuMicros(server) - c0;
                read[r] = (t1 - t0) / 1e6;
                whole[r] = (t2 - t0) / 1e6;
                bytes = s.body().length();
            }
            System.out.printf("%-40s median %7.1f ms  worst %7.1f ms%n", "read of the Redis gauges", Bench.median(read),
                    max(read));
            System.out.printf("%-40s median %7.1f ms  worst %7.1f ms  (target <= 200 ms)%n", "scrape (read + text)",
                    Bench.median(whole), max(whole));
            System.out.printf("%-40s %d round trips (target <= 20), %d commands, Redis CPU %.1f ms per read%n",
                    "per read", last.roundTrips(), last.commands(), Bench.median(cpu) / 1000);
            System.out.printf("%-40s %d bytes%n", "exposition text", bytes);
            events.close();
        }
        System.exit(0);
    }

    private static double max(double[] xs) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : xs) {
            m = Math.max(m, x);
        }
        return m;
    }
}
