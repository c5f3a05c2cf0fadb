package io.mcpcrew.crew.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.resilience.BreakerState;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
        if (!server.isRunning()) {
            server.start();
        }
    }

    record Accepted(List<String> tasks, List<String> sessions, int events) {
    }

    private FallbackNode node(Map<String, String> extra, ScheduledThreadPoolExecutor scheduler) {
        FallbackNode n = new FallbackNode(server, journal, extra, scheduler);
        closeables.add(0, n);
        return n;
    }

    /** With Redis stopped: 5 tasks, 5 sessions, 5 events, each accepted locally. */
    static Accepted writeDuringOutage(FallbackNode n) {
        TaskQueue q = n.tasks.forTenant("acme").queue("q");
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

    void assertAllInRedis(FallbackNode n, Accepted a) {
        TaskQueue q = n.tasks.forTenant("acme").queue("q");
        for (String id : a.tasks()) {
            assertTrue(q.get(id).isPresent(), "task " + id + " is in Redis");
        }
        for (String id : a.sessions()) {
            assertTrue(n.sessions.forTenant("acme").getSession(id).isPresent(), "session " + id + " is in Redis");
        }
        assertEquals(a.events(), n.events.forTenant("acme").info("s").orElseThrow().length(), "events in the stream");
    }

    @Test
    void theProbeNoticingRecoveryWritesEverythingBackWithin2s() throws Exception {
        FallbackNode n = node(Map.of(), null);
        server.stop();
        Accepted a = writeDuringOutage(n);
        server.start();
        assertTrue(n.drainedWithin(WITHIN), "written back within 2 s; still pending: " + n.pending());
        assertAllInRedis(n, a);
    }

    /**
     * The probe is slow (1 h), so the breaker is closed by the first call of another thread after Redis returns:
     * a request thread's PING (what the readiness check does), or a task worker's claim. The scheduler is a container's
     * managed one in the way that matters here: a task handed to it from a thread that is not one of its own (a request
     * thread of another component's context) is dropped, as Payara drops a managed task whose context it cannot set
     * up. The write-back still runs: the manager's periodic check does it.
     */
    @Test
    void aRequestThreadNoticingRecoveryStillGetsEverythingWrittenBackWithin2s() throws Exception {
        whenAnotherThreadNoticesRecovery(n -> { }, n -> assertTrue(n.redis.ping().reachable(), "the PING closes the breaker"));
    }

    /** An event consumer's read (on its own thread, started before the outage) is the first call to succeed again. */
    @Test
    void aConsumerNoticingRecoveryGetsEverythingWrittenBackWithin2s() throws Exception {
        whenAnotherThreadNoticesRecovery(n -> closeables.add(0, n.events.forTenant("acme").subscribe("other", "g", e -> { })),
                n -> { });
    }

    /** A task worker of another queue (started before the outage): its claim is the first call to succeed again. */
    @Test
    void aWorkerNoticingRecoveryGetsEverythingWrittenBackWithin2s() throws Exception {
        whenAnotherThreadNoticesRecovery(
                n -> closeables.add(0, n.tasks.forTenant("acme").queue("other").startWorker(t -> "ok", 1)), n -> { });
    }

    private void whenAnotherThreadNoticesRecovery(java.util.function.Consumer<FallbackNode> before,
            java.util.function.Consumer<FallbackNode> notice) throws Exception {
        OwnThreadsOnlyScheduler scheduler = new OwnThreadsOnlyScheduler();
        closeables.add(scheduler::shutdownNow);
        FallbackNode n = node(Map.of("redis.crew.breaker.probe-interval", "1h"), scheduler);
        before.accept(n);
        server.stop();
        Accepted a = writeDuringOutage(n);
        server.start();
        Thread.sleep(250); // past the open duration
        notice.accept(n);
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (n.redis.breakerState().state() != BreakerState.State.CLOSED) { // read locally: no call to Redis
            assertTrue(System.nanoTime() < end, "the breaker closed");
            Thread.sleep(5);
        }
        assertTrue(n.drainedWithin(WITHIN), "written back within 2 s of the recovery; still pending: " + n.pending());
        assertTrue(scheduler.dropped > 0, "the scheduler dropped the hand-off from the noticing thread");
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
