package io.mcpcrew.crew.fallback;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.sessions.RedisSessionManager;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One application node for the fallback tests: a manager with the fallback journal in {@code journal} (a fast
 * breaker: 200 ms open, 50 ms probe, 500 ms timeout, unless {@code extra} says otherwise) and the three components
 * that keep writes while Redis is down.
 */
final class FallbackNode implements AutoCloseable {
    final JedisRedisManager redis;
    final RedisTaskQueues tasks;
    final RedisEventManager events;
    final RedisSessionManager sessions;

    FallbackNode(RedisServer server, Path journal, Map<String, String> extra, ScheduledExecutorService scheduler) {
        Map<String, String> c = new HashMap<>(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.breaker.open-duration", "200ms",
                "redis.crew.breaker.probe-interval", "50ms", "redis.crew.timeout", "500ms",
                "redis.crew.fallback.journal.dir", journal.toString(), "redis.crew.tasks.poll-interval", "20ms"));
        c.putAll(extra);
        redis = new JedisRedisManager(RedisCrewConfig.load(c), scheduler);
        tasks = new RedisTaskQueues(redis);
        events = new RedisEventManager(redis);
        sessions = new RedisSessionManager(redis);
    }

    /** Writes kept locally, waiting for Redis (read without touching Redis). */
    int pending() {
        return tasks.bufferedTasks() + events.bufferedEvents() + sessions.locallyHeldSessions();
    }

    /** Waits until nothing is pending; true if that happened within {@code bound}. */
    boolean drainedWithin(Duration bound) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (pending() > 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        events.close();
        redis.close();
    }
}
