package io.mcpcrew.crew.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.sessions.RedisSessionManager;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskWorker;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes accepted while Redis is down (tasks, events, sessions) reach Redis within 2 s of its return, whichever
 * thread notices the recovery: the background probe, a request thread (a health check's PING), a task worker.
 */
@ExtendWith(RedisServerExtension.class)
class FallbackWriteBackIT {
    static final Duration WITHIN = Duration.ofSeconds(2);

    private RedisServer server;
    private final List<JedisRedisManager> managers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    @TempDir
    Path journal;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.ensureRunningAndEmpty();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        managers.forEach(JedisRedisManager::close);
        if (!server.isRunning()) {
            server.start();
        }
    }

    /** One application node: manager (journal on) and the three components that buffer writes. */
    final class Node {
        final JedisRedisManager redis;
        final RedisTaskQueues tasks;
        final RedisEventManager events;
        final RedisSessionManager sessions;

        Node(Map<String, String> extra, ScheduledThreadPoolExecutor scheduler) {
            Map<String, String> c = new HashMap<>(Map.of("redis.crew.host", server.host(),
                    "redis.crew.port", String.valueOf(server.port()), "redis.crew.breaker.open-duration", "200ms",
                    "redis.crew.breaker.probe-interval", "50ms", "redis.crew.timeout", "500ms",
                    "redis.crew.fallback.journal.dir", journal.toString(), "redis.crew.tasks.poll-interval", "20ms"));
            c.putAll(extra);
            redis = new JedisRedisManager(RedisCrewConfig.load(c), scheduler);
            managers.add(redis);
            tasks = new RedisTaskQueues(redis);
            events = new RedisEventManager(redis);
            closeables.add(events);
            sessions = new RedisSessionManager(redis);
        }

        int pending() {
            return tasks.bufferedTasks() + events.bufferedEvents() + sessions.locallyHeldSessions();
        }
    }

    record Accepted(List<String> tasks, List<String> sessions, int events) {
    }

    /** With Redis stopped: 5 tasks, 5 sessions, 5 events, each accepted locally. */
    static Accepted writeDuringOutage(Node n) {
        TaskQueue q = n.tasks.queue("acme", "q");
        TenantEvents ev = n.events.forTenant("acme");
        List<String> tasks = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tasks.add(q.enqueue("job", "{\"i\":" + i + "}", TaskPriority.NORMAL));
            sessions.add(n.sessions.forTenant("acme").createSession("u" + i, Map.of("i", i), Duration.ofMinutes(5)));
            assertEquals(TenantEvents.BUFFERED, ev.publish(Event.of(EventType.CUSTOM, Map.of("i", i)), "s"));
        }
        assertEquals(5, n.tasks.bufferedTasks());
        assertEquals(5, n.sessions.locallyHeldSessions());
        assertEquals(5, n.events.bufferedEvents());
        return new Accepted(tasks, sessions, 5);
    }

    /** Waits (without touching Redis through the node) until nothing is pending; true if within the bound. */
    static boolean drainedWithin(IntSupplier pending, Duration bound) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (pending.getAsInt() > 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    void assertAllInRedis(Node n, Accepted a) {
        TaskQueue q = n.tasks.queue("acme", "q");
        for (String id : a.tasks()) {
            assertTrue(q.get(id).isPresent(), "task " + id + " is in Redis");
        }
        for (String id : a.sessions()) {
            assertTrue(n.sessions.forTenant("acme").getSession(id).isPresent(), "session " + id + " is in Redis");
        }
        assertEquals(a.events(), n.events.forTenant("acme").info("s").orElseThrow().getLength(), "events in the stream");
    }

    @Test
    void theProbeNoticingRecoveryWritesEverythingBackWithin2s() throws Exception {
        Node n = new Node(Map.of(), null);
        server.stop();
        Accepted a = writeDuringOutage(n);
        server.start();
        assertTrue(drainedWithin(n::pending, WITHIN), "written back within 2 s; still pending: " + n.pending());
        assertAllInRedis(n, a);
    }

    /**
     * The probe is slow (1 h), so the breaker is closed by a request thread's PING (what the readiness check does);
     * the scheduler is a container's managed one in the way that matters here: a task submitted from a thread that is
     * not one of its own (a request thread of another component's context) is dropped, as Payara drops a managed task
     * whose context cannot be set up. The write-back still runs: the manager's periodic check does it.
     */
    @Test
    void aRequestThreadNoticingRecoveryStillGetsEverythingWrittenBackWithin2s() throws Exception {
        OwnThreadsOnlyScheduler scheduler = new OwnThreadsOnlyScheduler();
        closeables.add(scheduler::shutdownNow);
        Node n = new Node(Map.of("redis.crew.breaker.probe-interval", "1h"), scheduler);
        server.stop();
        Accepted a = writeDuringOutage(n);
        server.start();
        Thread.sleep(250); // past the open duration
        assertTrue(n.redis.ping().reachable(), "the request thread's PING closes the breaker");
        assertTrue(drainedWithin(n::pending, WITHIN), "written back within 2 s; still pending: " + n.pending());
        assertTrue(scheduler.dropped > 0, "the scheduler dropped the hand-off from the request thread");
        assertAllInRedis(n, a);
    }

    /** As above, with a task worker's claim (on a worker thread) as the first call that reaches Redis again. */
    @Test
    void aWorkerNoticingRecoveryGetsEverythingWrittenBackWithin2s() throws Exception {
        OwnThreadsOnlyScheduler scheduler = new OwnThreadsOnlyScheduler();
        closeables.add(scheduler::shutdownNow);
        Node n = new Node(Map.of("redis.crew.breaker.probe-interval", "1h"), scheduler);
        server.stop();
        Accepted a = writeDuringOutage(n);
        server.start();
        // a worker of another queue polls Redis: its claim is the first call after the open duration
        try (TaskWorker w = n.tasks.queue("acme", "other").startWorker(t -> "ok", 1)) {
            assertTrue(drainedWithin(n::pending, WITHIN), "written back within 2 s; still pending: " + n.pending());
        }
        assertTrue(scheduler.dropped > 0, "the scheduler dropped the hand-off from the worker thread");
        assertAllInRedis(n, a);
    }

    @Test
    void aJournalDirectoryThatCannotBeWrittenStopsTheStartWithAMessageNamingTheVariable() throws Exception {
        Path file = java.nio.file.Files.writeString(journal.resolve("not-a-directory"), "x");
        io.mcpcrew.crew.config.ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.mcpcrew.crew.config.ConfigurationException.class, () -> new JedisRedisManager(RedisCrewConfig.load(
                        Map.of("redis.crew.port", String.valueOf(server.port()), "redis.crew.fallback.journal.dir",
                                file.toString())), null));
        assertTrue(e.getMessage().contains("REDIS_CREW_FALLBACK_JOURNAL_DIR"), e.getMessage());
        assertTrue(e.getMessage().contains("redis.crew.fallback.journal.enabled=false"), e.getMessage());
    }

    /** A scheduler that drops tasks handed to it from threads other than its own (and counts them). */
    static final class OwnThreadsOnlyScheduler extends ScheduledThreadPoolExecutor {
        volatile int dropped;

        OwnThreadsOnlyScheduler() {
            super(1, r -> {
                Thread t = new Thread(r, "managed-scheduler");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public void execute(Runnable command) {
            if (!Thread.currentThread().getName().equals("managed-scheduler")) {
                dropped++;
                return;
            }
            super.execute(command);
        }
    }
}
