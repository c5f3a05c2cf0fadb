package io.mcpcrew.crew.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.embeddings.RedisEmbeddingCache;
import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.events.Subscription;
import io.mcpcrew.crew.ratelimit.RedisRateLimiter;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.sessions.RedisSessionManager;
import io.mcpcrew.crew.sessions.TenantSessions;
import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskState;
import io.mcpcrew.crew.tasks.TaskWorker;
import io.mcpcrew.crew.testing.PrometheusText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics contract, run against each topology by a subclass: standalone {@link MetricsIT}, Cluster
 * {@link MetricsClusterIT}, Sentinel {@link MetricsSentinelIT}. Every assertion reads the real scrape text (the
 * Prometheus text format the endpoint serves) of a manager on a private Redis.
 */
abstract class MetricsContract {
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private final List<JedisRedisManager> managers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Connection settings of the topology under test. */
    abstract Map<String, String> connection();

    /** Empties the Redis under test. */
    abstract void flush();

    /** CONFIG SET on every master of the topology. */
    abstract void configSet(String parameter, String value);

    JedisRedisManager open(Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(connection());
        c.put("redis.crew.metrics.redis-read-interval", "0");
        c.put("redis.crew.fallback.journal.enabled", "false");
        c.put("redis.crew.tasks.poll-interval", "20ms");
        c.put("redis.crew.tasks.workers.queue-refresh", "50ms");
        c.putAll(extra);
        JedisRedisManager m = new JedisRedisManager(RedisCrewConfig.load(c), null);
        managers.add(m);
        return m;
    }

    JedisRedisManager open() {
        flush();
        return open(Map.of());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        managers.forEach(JedisRedisManager::close);
        configSet("maxmemory-policy", "noeviction");
        configSet("maxmemory", "0");
    }

    static PrometheusText scrape(JedisRedisManager m) {
        return PrometheusText.parse(m.metrics().scrape("text/plain").body());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void tasksAreCountedByTheNodeAndTheirDepthsReadFromRedis() throws Exception {
        JedisRedisManager m = open();
        RedisTaskQueues queues = new RedisTaskQueues(m);
        TaskQueue q = queues.forTenant("acme").queue("emails");
        List<String> ids = q.enqueueAll(List.of(new NewTask("send", "{}", TaskPriority.HIGH),
                new NewTask("send", "{}", TaskPriority.NORMAL), new NewTask("send", "{}", TaskPriority.NORMAL)));
        String failing = q.enqueue("boom", "{}", TaskPriority.NORMAL,
                io.mcpcrew.crew.tasks.TaskOptions.defaults().withMaxAttempts(1));
        PrometheusText before = scrape(m);
        assertEquals(4, before.value("crew_tasks_enqueued_total", "tenant", "acme", "queue", "emails"));
        assertEquals(4, before.value("crew_tasks_depth", "tenant", "acme", "queue", "emails", "state", "pending"));
        assertEquals(1, before.value("crew_tasks_pending", "tenant", "acme", "queue", "emails", "priority", "high"));
        assertEquals(3, before.value("crew_tasks_pending", "tenant", "acme", "queue", "emails", "priority", "normal"));
        assertEquals(0, before.value("crew_tasks_depth", "tenant", "acme", "queue", "emails", "state", "running"));
        assertEquals(1, before.value("crew_tasks_queues"));
        assertTrue(before.value("crew_tasks_oldest_pending_age_seconds", "tenant", "acme", "queue", "emails") >= 0);

        TaskWorker w = q.startWorker(t -> {
            if (t.name().equals("boom")) {
                throw new IllegalStateException("boom");
            }
            return "{}";
        }, 2);
        closeables.add(w);
        await("every task finished", () -> ids.stream().allMatch(id -> q.get(id).map(i -> i.state()).orElse(null)
                == TaskState.SUCCEEDED) && q.get(failing).map(i -> i.state()).orElse(null) == TaskState.DEAD);
        await("the node counted the outcomes", () -> {
            PrometheusText s = scrape(m);
            return s.sum("crew_tasks_attempts_total", "tenant", "acme", "outcome", "succeeded") == 3
                    && s.sum("crew_tasks_attempts_total", "tenant", "acme", "outcome", "dead") == 1;
        });
        PrometheusText after = scrape(m);
        assertEquals(4, after.value("crew_tasks_handler_duration_seconds_count", "tenant", "acme", "queue", "emails"));
        assertEquals(4, after.value("crew_tasks_queue_wait_seconds_count", "tenant", "acme", "queue", "emails"));
        assertTrue(after.has("crew_tasks_handler_duration_seconds_bucket", "tenant", "acme", "le", "0.01"));
        assertEquals(0, after.value("crew_tasks_depth", "tenant", "acme", "queue", "emails", "state", "pending"));
        assertEquals(1, after.value("crew_tasks_depth", "tenant", "acme", "queue", "emails", "state", "dead"));
        assertEquals(3, after.value("crew_tasks_stored_events_total", "tenant", "acme", "queue", "emails", "event",
                "succeeded"));
        assertEquals(1, after.value("crew_tasks_stored_events_total", "tenant", "acme", "queue", "emails", "event",
                "dead"));
        assertEquals(3, after.value("crew_tasks_stored_events_all_total", "event", "succeeded"));
        assertTrue(after.sum("crew_redis_commands_seconds_count", "call", "RedisTaskQueues/claim.lua") > 0,
                "the claims' round trips are timed by script");
    }

    @Test
    void theRedisServerIsReadWithItsMemoryAndKeyspace() {
        JedisRedisManager m = open();
        m.execute(j -> j.set("crew:acme:cache:x", "1"));
        PrometheusText s = scrape(m);
        List<PrometheusText.Sample> used = s.find("crew_redis_memory_used_bytes");
        assertFalse(used.isEmpty(), "one series per node");
        used.forEach(u -> assertTrue(u.value() > 0, u.toString()));
        assertEquals(used.size(), s.find("crew_redis_memory_policy", "policy", "noeviction").size());
        assertTrue(s.sum("crew_redis_keyspace_keys", "db", "db0") >= 1);
        assertTrue(s.sum("crew_redis_clients_connected") >= 1);
        assertTrue(s.has("crew_redis_commands_processed_total"));
        assertTrue(s.has("crew_redis_keys_evicted_total"));
        assertEquals(1, s.value("crew_redis_breaker_state", "state", "closed"));
        assertTrue(s.has("crew_redis_pool_connections", "state", "idle"));
        MemoryStatus status = m.metrics().memory();
        assertTrue(status.fullest().isPresent());
        assertEquals("noeviction", status.fullest().get().policy());
        assertTrue(status.warnings().isEmpty(), status.warnings().toString());
    }

    @Test
    void memoryWarningsAreRaisedLoggedOnceAndCleared() throws Exception {
        JedisRedisManager m = open();
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(RedisServerReader.class.getName());
        log.addHandler(h);
        try {
            configSet("maxmemory-policy", "allkeys-lru");
            assertTrue(m.metrics().memory().warnings().isEmpty(), "no queue or stream lives here yet: no warning");
            new RedisTaskQueues(m).forTenant("acme").queue("q").enqueue("n", "{}", TaskPriority.NORMAL);
            MemoryStatus s = m.metrics().memory();
            assertEquals(countMasters(s), s.warnings().size(), "one per master: " + s.warnings());
            assertTrue(s.warnings().get(0).contains("allkeys-lru") && s.warnings().get(0).contains("noeviction"));
            configSet("maxmemory", "100mb");
            m.metrics().memory();
            long used = m.metrics().memory().fullest().get().used();
            configSet("maxmemory", Long.toString(used + used / 20)); // about 95% used
            m.execute(j -> j.set("crew:acme:cache:y", "1")); // touch it: memory is read, not set, by the reads
            MemoryStatus both = m.metrics().memory();
            assertTrue(both.warnings().stream().anyMatch(w -> w.contains("warn-share")), both.warnings().toString());
            PrometheusText t = scrape(m);
            assertTrue(t.sum("crew_redis_memory_warning", "reason", "eviction-policy") >= 1);
            assertTrue(t.sum("crew_redis_memory_warning", "reason", "used-share") >= 1);
            long warnings = logged.stream().filter(r -> r.getLevel() == Level.WARNING
                    && r.getMessage().contains("allkeys-lru")).count();
            assertEquals(countMasters(both), warnings, "each node's eviction warning is logged once over four reads");
            configSet("maxmemory-policy", "noeviction");
            configSet("maxmemory", "0");
            assertTrue(m.metrics().memory().warnings().isEmpty());
            assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.INFO && r.getMessage().contains("cleared")));
            assertEquals(0, scrape(m).sum("crew_redis_memory_warning"));
        } finally {
            log.removeHandler(h);
        }
    }

    private static long countMasters(MemoryStatus s) {
        return s.nodes().stream().filter(MemoryStatus.Node::master).count();
    }

    @Test
    void eventsSessionsRateLimitsAndEmbeddingsAreMetered() throws Exception {
        JedisRedisManager m = open();
        RedisEventManager events = new RedisEventManager(m);
        closeables.add(events);
        events.forTenant("acme").publish(Event.builder(EventType.of("order.created")).data(Map.of("n", 1)).build(),
                "orders");
        List<String> seen = new CopyOnWriteArrayList<>();
        Subscription sub = events.forTenant("acme").subscribe("orders", "billing", e -> seen.add(e.id()));
        closeables.add(sub);
        for (int i = 0; i < 3; i++) {
            events.forTenant("acme").publish(Event.builder(EventType.of("order.created")).data(Map.of("n", i)).build(),
                    "orders");
        }
        await("the group consumed the three", () -> seen.size() == 3);
        await("the group's lag and pending are 0", () -> {
            PrometheusText s = scrape(m);
            return s.value("crew_events_group_lag", "tenant", "acme", "stream", "orders", "group", "billing") == 0
                    && s.value("crew_events_group_pending", "tenant", "acme", "stream", "orders", "group", "billing") == 0;
        });
        PrometheusText s = scrape(m);
        assertEquals(4, s.value("crew_events_published_total", "tenant", "acme", "stream", "orders", "path", "redis"));
        assertEquals(4, s.value("crew_events_stream_length", "tenant", "acme", "stream", "orders"));
        assertEquals(1, s.value("crew_events_streams"));

        RedisSessionManager sessions = new RedisSessionManager(m);
        TenantSessions acme = sessions.forTenant("acme");
        String a = acme.createSession("alice", Map.of());
        acme.createSession("alice", Map.of());
        acme.createSession("bob", Map.of());
        acme.deleteSession(a);
        s = scrape(m);
        assertEquals(3, s.value("crew_sessions_creations_total", "tenant", "acme"));
        assertEquals(1, s.value("crew_sessions_revoked_total", "tenant", "acme"));
        assertEquals(2, s.value("crew_sessions_active", "tenant", "acme"));
        assertEquals(1, s.value("crew_sessions_tenants"));

        RedisRateLimiter limiter = new RedisRateLimiter(m);
        for (int i = 0; i < 3; i++) {
            limiter.forTenant("acme").tryAcquire("llm", 2, Duration.ofMinutes(1), 1);
        }
        s = scrape(m);
        assertEquals(2, s.value("crew_ratelimit_decisions_total", "tenant", "acme", "resource", "llm", "outcome",
                "allowed", "decided_by", "redis"));
        assertEquals(1, s.value("crew_ratelimit_decisions_total", "tenant", "acme", "resource", "llm", "outcome",
                "denied", "decided_by", "redis"));

        RedisEmbeddingCache embeddings = new RedisEmbeddingCache(m);
        var model = embeddings.forTenant("acme").model("mini");
        model.store("hello", new float[] {1f, 2f, 3f});
        model.retrieve("hello");
        model.retrieve("absent");
        s = scrape(m);
        assertEquals(1, s.value("crew_embeddings_lookups_total", "tenant", "acme", "model", "mini", "result", "hit"));
        assertEquals(1, s.value("crew_embeddings_lookups_total", "tenant", "acme", "model", "mini", "result", "miss"));
        assertEquals(1, s.value("crew_embeddings_stored_total", "tenant", "acme", "model", "mini"));
        assertEquals(12, s.value("crew_embeddings_vector_bytes_total", "tenant", "acme", "model", "mini", "direction",
                "written"));
    }

    @Test
    void tenantsPastTheLimitShareTheOtherSeriesUntilTheyAreChosen() {
        JedisRedisManager m = open(Map.of("redis.crew.metrics.max-tenants", "2",
                "redis.crew.metrics.max-names-per-tenant", "1"));
        RedisTaskQueues queues = new RedisTaskQueues(m);
        queues.forTenant("t1").queue("a").enqueue("n", "{}", TaskPriority.NORMAL);
        queues.forTenant("t2").queue("a").enqueue("n", "{}", TaskPriority.NORMAL);
        queues.forTenant("t3").queue("a").enqueue("n", "{}", TaskPriority.NORMAL);
        queues.forTenant("t1").queue("b").enqueue("n", "{}", TaskPriority.NORMAL);
        PrometheusText s = scrape(m);
        assertEquals(1, s.value("crew_tasks_enqueued_total", "tenant", "t1", "queue", "a"));
        assertEquals(1, s.value("crew_tasks_enqueued_total", "tenant", "t1", "queue", "_other"), "past the name cap");
        assertEquals(1, s.value("crew_tasks_enqueued_total", "tenant", "t2", "queue", "a"));
        assertEquals(1, s.value("crew_tasks_enqueued_total", "tenant", "_other", "queue", "_other"));
        assertFalse(s.has("crew_tasks_enqueued_total", "tenant", "t3"), "t3 has no series of its own");
        assertEquals(2, s.value("crew_metrics_tenants_selected"));

        for (int i = 0; i < 5; i++) {
            queues.forTenant("t3").queue("a").enqueue("n", "{}", TaskPriority.NORMAL);
            queues.forTenant("t2").queue("a").enqueue("n", "{}", TaskPriority.NORMAL);
        }
        m.metrics().reselectTenants();
        queues.forTenant("t3").queue("a").enqueue("n", "{}", TaskPriority.NORMAL);
        s = scrape(m);
        assertEquals(1, s.value("crew_tasks_enqueued_total", "tenant", "t3", "queue", "a"), "counted from its choice on");
        assertFalse(s.has("crew_tasks_enqueued_total", "tenant", "t1"), "t1 left the selection: its series ended");
        assertEquals(6, s.value("crew_tasks_enqueued_total", "tenant", "_other", "queue", "_other"),
                "the aggregate kept counting: 1 + t3's 5 before its choice");
        // the Redis gauges rank tenants by live tasks: t2 and t3 (6 and 7 pending) have their own, t1 is _other
        assertEquals(7, s.value("crew_tasks_depth", "tenant", "t3", "queue", "a", "state", "pending"));
        assertEquals(6, s.value("crew_tasks_depth", "tenant", "t2", "queue", "a", "state", "pending"));
        assertEquals(2, s.value("crew_tasks_depth", "tenant", "_other", "queue", "_other", "state", "pending"));
    }

    @Test
    void aReadTakesTheSameRoundTripsForTenOrAThousandTenants() {
        JedisRedisManager m = open();
        RedisTaskQueues queues = new RedisTaskQueues(m);
        RedisEventManager events = new RedisEventManager(m);
        closeables.add(events);
        RedisSessionManager sessions = new RedisSessionManager(m);
        populate(queues, events, sessions, 0, 10);
        m.metrics().readNow(); // loads the stats script on every node (on Cluster, on first NOSCRIPT)
        ScrapeReport small = m.metrics().readNow();
        populate(queues, events, sessions, 10, 1000);
        ScrapeReport large = m.metrics().readNow();
        assertEquals(small.roundTrips(), large.roundTrips(), "round trips do not grow with tenants: " + small + " "
                + large);
        assertTrue(large.roundTrips() <= 20, large.toString());
        assertTrue(large.commands() >= 3000 + 1000 + 1000, "every queue, stream and user was read: " + large);
        assertEquals(0, large.failures());
        PrometheusText s = scrape(m);
        assertEquals(3000, s.value("crew_tasks_queues"));
        assertEquals(1000, s.value("crew_events_streams"));
        assertEquals(1000, s.value("crew_sessions_tenants"));
        assertEquals(3000 - 50 * 3, s.value("crew_tasks_depth", "tenant", "_other", "queue", "_other", "state",
                "pending"), "all but the 50 tenants with series of their own");
        assertEquals(51, s.find("crew_tasks_depth", "state", "pending").stream()
                .map(x -> x.labels().get("tenant")).distinct().count(), "50 tenants and _other");
    }

    private static void populate(RedisTaskQueues queues, RedisEventManager events, RedisSessionManager sessions,
            int from, int to) {
        for (int t = from; t < to; t++) {
            String tenant = "t" + t;
            for (String q : new String[] {"a", "b", "c"}) {
                queues.forTenant(tenant).queue(q).enqueue("n", "{}", TaskPriority.NORMAL);
            }
            events.forTenant(tenant).publish(Event.builder(EventType.of("x")).build(), "s");
            sessions.forTenant(tenant).createSession("u", Map.of());
        }
    }

    @Test
    void metricsOffRecordNothingButTheMemoryWatchStillWorks() {
        JedisRedisManager m = open(Map.of("redis.crew.metrics.enabled", "false"));
        new RedisTaskQueues(m).forTenant("acme").queue("q").enqueue("n", "{}", TaskPriority.NORMAL);
        assertFalse(m.metrics().enabled());
        assertThrows(MetricsDisabledException.class, () -> m.metrics().scrape("text/plain"));
        assertTrue(m.metrics().memory().fullest().isPresent());
        assertTrue(m.metrics().registry().getMeters().stream().noneMatch(x -> x.getId().getName().startsWith("crew.tasks")
                && x.measure().iterator().hasNext() && x.measure().iterator().next().getValue() > 0));
    }
}
