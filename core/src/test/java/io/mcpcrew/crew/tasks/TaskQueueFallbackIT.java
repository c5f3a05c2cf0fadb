package io.mcpcrew.crew.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.resilience.FallbackBufferFullException;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Enqueue while Redis is down: a bounded, ordered local buffer, flushed when Redis is back; full → error. */
@ExtendWith(RedisServerExtension.class)
class TaskQueueFallbackIT {
    private RedisServer server;
    private JedisRedisManager redis;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.ensureRunningAndEmpty();
    }

    @AfterEach
    void tearDown() {
        if (redis != null) {
            redis.close();
        }
        if (!server.isRunning()) {
            server.start();
        }
    }

    RedisTaskQueues open(boolean fallback) {
        redis = new JedisRedisManager(RedisCrewConfig.load(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.breaker.open-duration", "200ms",
                "redis.crew.breaker.probe-interval", "50ms", "redis.crew.timeout", "500ms",
                "redis.crew.fallback.enabled", String.valueOf(fallback), "redis.crew.tasks.buffer-capacity", "50",
                "redis.crew.fallback.journal.enabled", "false")), null);
        return new RedisTaskQueues(redis);
    }

    @Test
    void tasksEnqueuedWhileRedisIsDownAreBufferedInOrderAndFlushedWhenItReturns() throws Exception {
        RedisTaskQueues queues = open(true);
        TaskQueue q = queues.forTenant("acme").queue("outage");
        String before = q.enqueue("job", "{\"n\":-1}", TaskPriority.NORMAL);
        server.stop();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(q.enqueue("job", "{\"n\":" + i + "}", TaskPriority.NORMAL));
        }
        assertEquals(50, queues.bufferedTasks());
        FallbackBufferFullException full = assertThrows(FallbackBufferFullException.class,
                () -> q.enqueue("job", "{}", TaskPriority.NORMAL));
        assertTrue(full.getMessage().contains("buffer is full"), full.getMessage());
        server.start(); // comes back empty (no persistence): only the buffer can bring the tasks back
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!redis.isAvailable() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        // accepted last, possibly while the recovery flush is still writing the buffer: it must still come last
        ids.add(q.enqueue("job", "{\"n\":50}", TaskPriority.NORMAL));
        while (queues.bufferedTasks() > 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(0, queues.bufferedTasks());
        List<Task> claimed = queues.forTenant("acme").leases("outage").claim(100, Duration.ofSeconds(30));
        List<String> order = new ArrayList<>();
        for (Task t : claimed) {
            order.add(t.id());
        }
        assertEquals(ids, order, "all 51, in the order they were accepted");
        assertEquals("{\"n\":0}", claimed.get(0).payload());
        assertTrue(q.get(before).isEmpty(), "the task written before the outage died with the unpersisted Redis");
        assertTrue(queues.registeredQueues().contains(q), "the queue is registered again after the flush");
    }

    @Test
    void withoutFallbackEnqueueFailsWhileRedisIsDown() {
        RedisTaskQueues queues = open(false);
        TaskQueue q = queues.forTenant("acme").queue("strict");
        server.stop();
        assertThrows(RedisUnavailableException.class, () -> q.enqueue("job", "{}", TaskPriority.NORMAL));
        assertEquals(0, queues.bufferedTasks());
    }
}
