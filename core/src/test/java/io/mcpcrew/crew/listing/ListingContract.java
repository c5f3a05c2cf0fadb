package io.mcpcrew.crew.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.embeddings.CachedModel;
import io.mcpcrew.crew.embeddings.EntryCount;
import io.mcpcrew.crew.embeddings.ModelEmbeddingCache;
import io.mcpcrew.crew.embeddings.RedisEmbeddingCache;
import io.mcpcrew.crew.events.ConsumerGroup;
import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.memory.EstimateRequest;
import io.mcpcrew.crew.memory.MemoryEstimate;
import io.mcpcrew.crew.memory.RedisMemoryEstimator;
import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.ratelimit.Quota;
import io.mcpcrew.crew.ratelimit.RateLimitPolicy;
import io.mcpcrew.crew.ratelimit.RedisRateLimiter;
import io.mcpcrew.crew.ratelimit.StoredPolicy;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.KeyspaceScan;
import io.mcpcrew.crew.sessions.RedisSessionManager;
import io.mcpcrew.crew.sessions.SessionCounts;
import io.mcpcrew.crew.sessions.TenantSessions;
import io.mcpcrew.crew.tasks.ListedTask;
import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.tasks.PermanentTaskFailure;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.Task;
import io.mcpcrew.crew.tasks.TaskLeases;
import io.mcpcrew.crew.tasks.TaskOptions;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskState;
import io.mcpcrew.crew.tenancy.RedisTenantDirectory;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;

/**
 * The listing API and the memory estimate, run against each topology by a subclass that supplies the connection:
 * standalone {@link ListingIT}, Cluster {@link ListingClusterIT}, Sentinel {@link ListingSentinelIT}. Registries
 * (tenants, queues, streams, models), tasks by state with cursor paging (also while tasks move), stream groups and
 * consumers, model entry counts, session counts, stored policies, and the memory estimate against what
 * {@code MEMORY USAGE} says of every key.
 */
abstract class ListingContract {
    protected JedisRedisManager redis;
    protected RedisTaskQueues queues;

    /** Connection settings of the topology under test. */
    abstract Map<String, String> connection();

    /** Empties the Redis under test. */
    abstract void flush();

    /** The masters of the topology under test. */
    abstract int masters();

    /** Opens the manager on the backend under test: each subclass's {@code @BeforeEach} calls it once it has one. */
    void open() {
        flush();
        Map<String, String> cfg = new HashMap<>(connection());
        cfg.put("redis.crew.fallback.journal.enabled", "false");
        cfg.put("redis.crew.tasks.backoff-base", "60s");
        cfg.put("redis.crew.tasks.backoff-cap", "120s");
        redis = new JedisRedisManager(RedisCrewConfig.load(cfg), null);
        queues = new RedisTaskQueues(redis);
    }

    @AfterEach
    void close() {
        if (redis != null) {
            redis.close();
        }
    }

    /** Every item of a list, page by page ({@code limit} each), checking each page's size. */
    static <T> List<T> all(BiFunction<String, Integer, Page<T>> list, int limit) {
        List<T> out = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 10_000; pages++) {
            Page<T> p = list.apply(cursor, limit);
            assertTrue(p.items().size() <= limit, "page of " + p.items().size() + " over the limit " + limit);
            out.addAll(p.items());
            if (p.nextCursor() == null) {
                return out;
            }
            cursor = p.nextCursor();
        }
        throw new AssertionError("no last page");
    }

    static List<String> ids(List<ListedTask> tasks) {
        return tasks.stream().map(ListedTask::id).toList();
    }

    static void assertRefused(String fragment, Runnable r) {
        InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should name " + fragment);
    }

    // ---- registries --------------------------------------------------------------------------------------------

    @Test
    void everyComponentRegistersItsTenantAndTheTenantsPageInByteOrder() {
        queues.forTenant("t-a").queue("q1").enqueue("echo", "{}", TaskPriority.NORMAL);
        RedisEventManager events = new RedisEventManager(redis);
        events.forTenant("t-b").publish(Event.of(EventType.of("x"), Map.of()), "s1");
        RedisEmbeddingCache embeddings = new RedisEmbeddingCache(redis);
        embeddings.forTenant("T-c").model("m1").store("hello", new float[] {1f, 2f});
        RedisSessionManager sessions = new RedisSessionManager(redis);
        sessions.forTenant("t_d").createSession("alice", Map.of());
        new RedisRateLimiter(redis).setPolicy("t9", "llm", RateLimitPolicy.of(5, Duration.ofSeconds(30)));

        RedisTenantDirectory tenants = new RedisTenantDirectory(redis);
        // byte order: upper case before "_", before lower case and digits before letters
        assertEquals(List.of("T-c", "t-a", "t-b", "t9", "t_d"), all(tenants::tenants, 2));
        assertEquals(5, tenants.count());
        Page<String> first = tenants.tenants(null, 3);
        assertEquals(List.of("T-c", "t-a", "t-b"), first.items());
        // a tenant added before the cursor is not returned, one after it is: the cursor stays valid
        queues.forTenant("A0").queue("q").enqueue("echo", "{}", TaskPriority.NORMAL);
        queues.forTenant("zz").queue("q").enqueue("echo", "{}", TaskPriority.NORMAL);
        assertEquals(List.of("t9", "t_d", "zz"), tenants.tenants(first.nextCursor(), 10).items());

        assertRefused("cursor", () -> tenants.tenants("not-a-cursor!", 10));
        assertRefused("cursor", () -> tenants.tenants(first.nextCursor().substring(0, 8), 10));
        String queueCursor = queues.forTenant("t-a").queueNames(null, 1).nextCursor();
        assertNull(queueCursor); // one queue: no next page
        queues.forTenant("t-a").queue("q2").enqueue("echo", "{}", TaskPriority.NORMAL);
        String otherKind = queues.forTenant("t-a").queueNames(null, 1).nextCursor();
        assertRefused("the tenants list", () -> tenants.tenants(otherKind, 10));
        assertRefused("limit", () -> tenants.tenants(null, 0));
        assertRefused("limit", () -> tenants.tenants(null, 1001));
    }

    @Test
    void queuesStreamsAndModelsOfATenant() {
        for (String q : List.of("zeta", "alpha", "Mid", "beta")) {
            queues.forTenant("acme").queue(q).enqueue("echo", "{}", TaskPriority.NORMAL);
        }
        queues.forTenant("other").queue("hidden").enqueue("echo", "{}", TaskPriority.NORMAL);
        assertEquals(List.of("Mid", "alpha", "beta", "zeta"), all(queues.forTenant("acme")::queueNames, 3));

        RedisEventManager events = new RedisEventManager(redis);
        TenantEvents acme = events.forTenant("acme");
        acme.publish(Event.of(EventType.of("x"), Map.of()), "orders");
        acme.publishAll(List.of(Event.of(EventType.of("x"), Map.of()), Event.of(EventType.of("y"), Map.of())), "audit");
        events.forTenant("other").publish(Event.of(EventType.of("x"), Map.of()), "secret");
        assertEquals(List.of("audit", "orders"), all(acme::streams, 1));

        RedisEmbeddingCache embeddings = new RedisEmbeddingCache(redis);
        embeddings.forTenant("acme").model("text-embedding-3-small").store("a", new float[] {1, 2, 3});
        embeddings.forTenant("acme").model("BAAI/bge-small-en-v1.5").store("a", new float[] {1, 2});
        ModelEmbeddingCache cleared = embeddings.forTenant("acme").model("old:v1");
        cleared.store("a", new float[] {1});
        cleared.clear();
        List<CachedModel> models = all(embeddings.forTenant("acme")::models, 2);
        assertEquals(List.of(new CachedModel("BAAI/bge-small-en-v1.5", 2), new CachedModel("old:v1", null),
                new CachedModel("text-embedding-3-small", 3)), models);
        assertRefused("cursor", () -> embeddings.forTenant("acme").models("Zm9v", 2));
    }

    // ---- tasks by state ----------------------------------------------------------------------------------------

    @Test
    void pendingPagesFollowClaimOrderAcrossPrioritiesAndNames() {
        TaskQueue q = queues.forTenant("acme").queue("jobs");
        List<NewTask> batch = new ArrayList<>();
        String[] names = {"send", "build", "Audit"};
        for (int i = 0; i < 7; i++) {
            for (TaskPriority p : TaskPriority.values()) {
                for (String n : names) {
                    batch.add(new NewTask(n, "{\"i\":" + i + "}", p, TaskOptions.defaults()));
                }
            }
        }
        List<String> enqueued = q.enqueueAll(batch);
        // claim order: priority first, then names in byte order, FIFO within one list
        List<String> expected = new ArrayList<>();
        for (TaskPriority p : TaskPriority.values()) {
            for (String n : List.of("Audit", "build", "send")) {
                for (int i = 0; i < batch.size(); i++) {
                    if (batch.get(i).priority() == p && batch.get(i).name().equals(n)) {
                        expected.add(enqueued.get(i));
                    }
                }
            }
        }
        List<ListedTask> listed = all((c, l) -> q.tasks(TaskState.PENDING, c, l), 5);
        assertEquals(expected, ids(listed));
        assertEquals(84, listed.size());
        ListedTask first = listed.get(0);
        assertEquals("Audit", first.name());
        assertEquals(TaskPriority.CRITICAL, first.priority());
        assertEquals(TaskState.PENDING, first.state());
        assertEquals(0, first.attempts());
        assertNull(first.lease());
        // one page of everything, and a limit of one
        assertEquals(expected, ids(q.tasks(TaskState.PENDING, null, 500).items()));
        assertEquals(expected, ids(all((c, l) -> q.tasks(TaskState.PENDING, c, l), 1)));
        // bad inputs
        assertRefused("limit", () -> q.tasks(TaskState.PENDING, null, 0));
        assertRefused("limit", () -> q.tasks(TaskState.PENDING, null, 501));
        assertRefused("SUCCEEDED cannot be listed", () -> q.tasks(TaskState.SUCCEEDED, null, 10));
        assertRefused("CANCELLED cannot be listed", () -> q.tasks(TaskState.CANCELLED, null, 10));
        String pendingCursor = q.tasks(TaskState.PENDING, null, 5).nextCursor();
        assertRefused("tasks-scheduled list", () -> q.tasks(TaskState.SCHEDULED, pendingCursor, 5));
        assertRefused("cursor", () -> q.tasks(TaskState.PENDING, "AAAA", 5));
        assertRefused("cursor", () -> q.tasks(TaskState.PENDING, forged("tasks-pending", "9", "send", "x", "0"), 5));
        assertRefused("cursor", () -> q.tasks(TaskState.PENDING, forged("tasks-pending", "1", "a:b", "x", "0"), 5));
        assertRefused("cursor", () -> q.tasks(TaskState.PENDING, forged("tasks-pending", "1", "send", "x", "-1"), 5));
    }

    /** A cursor made by hand, in the encoding the lists use. */
    static String forged(String kind, String... fields) {
        return io.mcpcrew.crew.paging.Cursors.encode(kind, fields);
    }

    @Test
    void aPendingWalkMissesNoTaskWhileWorkersClaimFromTheHead() {
        TaskQueue q = queues.forTenant("acme").queue("moving");
        List<String> ids = q.enqueueAll(normal("work", 1300));
        TaskLeases leases = queues.forTenant("acme").leases("moving");

        // claims within the window: the page resumes just after the task the cursor named
        Page<ListedTask> p1 = q.tasks(TaskState.PENDING, null, 100);
        assertEquals(ids.subList(0, 100), ids(p1.items()));
        assertEquals(30, leases.claim(30, Duration.ofMinutes(5)).size());
        Page<ListedTask> p2 = q.tasks(TaskState.PENDING, p1.nextCursor(), 100);
        assertEquals(ids.subList(100, 200), ids(p2.items()));

        // more claims than the window while the cursor's task is still pending: found again by LPOS
        Page<ListedTask> p3 = q.tasks(TaskState.PENDING, p2.nextCursor(), 500);
        assertEquals(ids.subList(200, 700), ids(p3.items()));
        assertEquals(600, leases.claim(600, Duration.ofMinutes(5)).size()); // ids 0..629 claimed, 699 at index 69
        Page<ListedTask> p4 = q.tasks(TaskState.PENDING, p3.nextCursor(), 100);
        assertEquals(ids.subList(700, 800), ids(p4.items()));

        // the cursor's task claimed: everything before it was claimed too, the walk goes on from the head
        assertEquals(300, leases.claim(300, Duration.ofMinutes(5)).size()); // ids 0..929 claimed
        Page<ListedTask> p5 = q.tasks(TaskState.PENDING, p4.nextCursor(), 500);
        assertEquals(ids.subList(930, 1300), ids(p5.items()));
        assertNull(p5.nextCursor());
    }

    @Test
    void aPendingWalkReturnsEveryTaskThatStaysPendingWhileTasksAreAddedCancelledAndReleased() {
        TaskQueue q = queues.forTenant("acme").queue("churn");
        List<String> ids = q.enqueueAll(normal("work", 60));
        TaskLeases leases = queues.forTenant("acme").leases("churn");
        List<String> seen = new ArrayList<>();
        Page<ListedTask> p = q.tasks(TaskState.PENDING, null, 10);
        seen.addAll(ids(p.items()));
        // the task the cursor names is cancelled, later ones are added, a claimed one is released to the head
        assertEquals(TaskState.CANCELLED, q.cancel(ids.get(9)).orElseThrow());
        List<String> added = q.enqueueAll(normal("work", 5));
        List<Task> claimed = leases.claim(3, Duration.ofMinutes(5));
        assertEquals(1, leases.release(claimed.subList(0, 1)));
        while (p.nextCursor() != null) {
            p = q.tasks(TaskState.PENDING, p.nextCursor(), 10);
            seen.addAll(ids(p.items()));
        }
        Set<String> stillPending = new HashSet<>(ids.subList(10, 60));
        stillPending.addAll(added);
        stillPending.add(claimed.get(0).id());
        assertTrue(seen.containsAll(stillPending), "a task pending for the whole walk was missed");
        assertEquals(1, java.util.Collections.frequency(seen, ids.get(9)), "the cancelled task came again");
    }

    @Test
    void scheduledRetryRunningAndDeadPagesInTheirOrder() throws Exception {
        TaskQueue q = queues.forTenant("acme").queue("states");
        // scheduled: ties on the run time (one enqueueAll, one delay) come in byte order of their ids
        List<NewTask> delayed = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            delayed.add(new NewTask("later", "{}", TaskPriority.NORMAL,
                    TaskOptions.defaults().withDelay(Duration.ofMinutes(i < 6 ? 10 : 5))));
        }
        List<String> scheduledIds = q.enqueueAll(delayed);
        List<String> expected = new ArrayList<>(scheduledIds.subList(6, 9));
        expected.sort(null);
        List<String> ties = new ArrayList<>(scheduledIds.subList(0, 6));
        ties.sort(null);
        expected.addAll(ties);
        List<ListedTask> scheduled = all((c, l) -> q.tasks(TaskState.SCHEDULED, c, l), 2);
        assertEquals(expected, ids(scheduled));
        assertEquals(TaskState.SCHEDULED, scheduled.get(0).state());
        assertTrue(scheduled.get(0).runAt().isAfter(Instant.now().plusSeconds(200)));
        // the cursor's task leaves the set (cancelled): the next page starts after its place all the same
        Page<ListedTask> sp = q.tasks(TaskState.SCHEDULED, null, 4);
        assertEquals(TaskState.CANCELLED, q.cancel(expected.get(3)).orElseThrow());
        assertEquals(expected.subList(4, 9), ids(q.tasks(TaskState.SCHEDULED, sp.nextCursor(), 10).items()));

        // running: soonest lease expiry first, with the holder of this process
        List<String> work = q.enqueueAll(normal("work", 4));
        TaskLeases leases = queues.forTenant("acme").leases("states");
        List<Task> shortLease = leases.claim(2, Duration.ofMinutes(1));
        List<Task> longLease = leases.claim(2, Duration.ofMinutes(3));
        List<ListedTask> running = all((c, l) -> q.tasks(TaskState.RUNNING, c, l), 1);
        assertEquals(4, running.size());
        assertEquals(Set.copyOf(ids(running.subList(0, 2))), Set.of(shortLease.get(0).id(), shortLease.get(1).id()));
        for (ListedTask t : running) {
            assertEquals(TaskState.RUNNING, t.state());
            assertEquals(1, t.attempts());
            assertNotNull(t.startedAt());
            assertNotNull(t.lease());
            assertTrue(t.lease().holder().endsWith("-" + ProcessHandle.current().pid()), t.lease().toString());
            assertTrue(t.lease().token().startsWith(t.lease().holder() + "."), t.lease().toString());
        }
        assertTrue(running.get(3).lease().expiresAt().isAfter(Instant.now().plusSeconds(150)));
        assertTrue(running.get(0).lease().expiresAt().isBefore(Instant.now().plusSeconds(61)));
        assertTrue(work.containsAll(ids(running)));

        // failed waiting retry (backoff 60 s) and dead (latest death first)
        assertEquals(TaskState.FAILED, leases.fail(shortLease.get(0), new IllegalStateException("boom")).orElseThrow());
        assertEquals(TaskState.DEAD, leases.fail(longLease.get(0), new PermanentTaskFailure("bad input")).orElseThrow());
        Thread.sleep(5); // two deaths at distinct milliseconds
        assertEquals(TaskState.DEAD, leases.fail(longLease.get(1), new PermanentTaskFailure("worse")).orElseThrow());
        List<ListedTask> failed = q.tasks(TaskState.FAILED, null, 10).items();
        assertEquals(List.of(shortLease.get(0).id()), ids(failed));
        assertEquals("IllegalStateException: boom", failed.get(0).lastError());
        assertTrue(failed.get(0).runAt().isAfter(Instant.now().plusSeconds(20)));
        List<ListedTask> dead = all((c, l) -> q.tasks(TaskState.DEAD, c, l), 1);
        assertEquals(List.of(longLease.get(1).id(), longLease.get(0).id()), ids(dead));
        assertNotNull(dead.get(0).finishedAt());
        assertEquals(List.of(shortLease.get(1).id()), ids(q.tasks(TaskState.RUNNING, null, 10).items()));
        assertRefused("cursor", () -> q.tasks(TaskState.DEAD, forged("tasks-dead", "x1", "abc"), 5));
        assertRefused("cursor", () -> q.tasks(TaskState.DEAD, forged("tasks-dead", "12", "a b"), 5));
    }

    static List<NewTask> normal(String name, int n) {
        List<NewTask> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new NewTask(name, "{\"i\":" + i + "}", TaskPriority.NORMAL, TaskOptions.defaults()));
        }
        return out;
    }

    // ---- streams, models, sessions, policies -------------------------------------------------------------------

    @Test
    void aStreamsGroupsWithConsumersPendingAndLag() {
        RedisEventManager events = new RedisEventManager(redis);
        TenantEvents acme = events.forTenant("acme");
        for (int i = 0; i < 5; i++) {
            acme.publish(Event.of(EventType.of("x"), Map.of("i", i)), "orders");
        }
        assertTrue(acme.createGroup("orders", "billing", "0"));
        assertTrue(acme.createGroup("orders", "audit", "$"));
        String key = "crew:acme:events:{acme.orders}";
        redis.execute(j -> j.xreadGroup("billing", "node-1", XReadGroupParams.xReadGroupParams().count(2),
                Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
        redis.execute(j -> j.xreadGroup("billing", "node-2", XReadGroupParams.xReadGroupParams().count(1),
                Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));

        List<ConsumerGroup> groups = acme.groups("orders", 10).orElseThrow();
        assertEquals(List.of("audit", "billing"), groups.stream().map(ConsumerGroup::name).sorted().toList());
        ConsumerGroup billing = groups.stream().filter(g -> g.name().equals("billing")).findFirst().orElseThrow();
        assertEquals(3, billing.pending());
        assertEquals(2L, billing.lag());
        assertEquals(2, billing.consumerCount());
        assertEquals(Map.of("node-1", 2L, "node-2", 1L), Map.of(billing.consumers().get(0).name(),
                billing.consumers().get(0).pending(), billing.consumers().get(1).name(), billing.consumers().get(1).pending()));
        ConsumerGroup audit = groups.stream().filter(g -> g.name().equals("audit")).findFirst().orElseThrow();
        assertEquals(0, audit.pending());
        assertEquals(0L, audit.lag());
        assertEquals(List.of(), audit.consumers());
        // consumers bounded: the count stays, the list is cut
        ConsumerGroup cut = acme.groups("orders", 1).orElseThrow().stream().filter(g -> g.name().equals("billing"))
                .findFirst().orElseThrow();
        assertEquals(1, cut.consumers().size());
        assertEquals(2, cut.consumerCount());
        assertTrue(acme.groups("nothing-here", 10).isEmpty());
        assertRefused("consumers", () -> acme.groups("orders", 1001));
        assertRefused("stream name", () -> acme.groups("a:b", 10));
    }

    @Test
    void aModelsEntriesAreCountedOverEveryMaster() {
        RedisEmbeddingCache embeddings = new RedisEmbeddingCache(redis);
        ModelEmbeddingCache m = embeddings.forTenant("acme").model("nomic-embed-text:v1.5");
        Map<String, float[]> vectors = new HashMap<>();
        for (int i = 0; i < 150; i++) {
            vectors.put("text " + i, new float[] {i, 1});
        }
        m.batchStore(vectors);
        embeddings.forTenant("acme").model("other").store("x", new float[] {1});
        embeddings.forTenant("globex").model("nomic-embed-text:v1.5").store("x", new float[] {1, 2});
        fill(600);

        // COUNT above every master's table size: one SCAN call per master covers it, no key twice
        EntryCount all = m.countEntries(new KeyspaceScan.Budget(10_000, 100));
        assertEquals(150, all.entries());
        assertEquals(150, all.counted());
        assertTrue(all.complete());
        assertEquals(1.0, all.coverage());
        assertEquals(masters(), all.scanCalls());
        assertEquals(all.scanCalls() + masters() + (masters() > 1 ? 1 : 0), all.roundTrips());

        // a budget too small for the keyspace: partial, extrapolated, and it says so
        EntryCount part = m.countEntries(new KeyspaceScan.Budget(10, 1));
        assertFalse(part.complete());
        assertTrue(part.coverage() < 1.0, "coverage " + part.coverage());
        assertEquals(masters(), part.scanCalls()); // at least one call per master
        assertTrue(part.entries() >= part.counted());
        assertRefused("maxScanCalls", () -> new KeyspaceScan.Budget(1000, 0));
        assertRefused("scanCount", () -> new KeyspaceScan.Budget(5, 10));
    }

    /** {@code n} keys outside the key prefix. */
    void fill(int n) {
        redis.execute(j -> {
            for (int i = 0; i < n; i++) {
                j.set("filler:" + i, "x");
            }
            return null;
        });
    }

    @Test
    void sessionCountsVisitEachUsersIndexUpToTheBound() {
        RedisSessionManager sessions = new RedisSessionManager(redis);
        TenantSessions acme = sessions.forTenant("acme");
        acme.createSession("alice", Map.of());
        acme.createSession("alice", Map.of());
        acme.createSession("bob", Map.of());
        String gone = acme.createSession("carol", Map.of());
        acme.deleteSession(gone);
        sessions.forTenant("globex").createSession("dave", Map.of());

        SessionCounts c = sessions.counts("acme", 1000);
        assertEquals(3, c.users());
        assertEquals(3, c.usersVisited());
        assertEquals(2, c.activeUsers());
        assertEquals(3, c.sessions());
        assertEquals(3, c.sessionsCounted());
        assertTrue(c.complete());
        SessionCounts bounded = sessions.counts("acme", 1);
        assertEquals(1, bounded.usersVisited());
        assertFalse(bounded.complete());
        assertEquals(bounded.sessionsCounted() * 3, bounded.sessions());
        assertRefused("maxUsers", () -> sessions.counts("acme", 0));
        assertRefused("tenant id", () -> sessions.counts("a:b", 10));
    }

    @Test
    void storedPoliciesPageByResource() {
        RedisRateLimiter limiter = new RedisRateLimiter(redis);
        limiter.setPolicy("acme", "llm", RateLimitPolicy.of(5, Duration.ofSeconds(30)));
        limiter.setPolicy("acme", "default", RateLimitPolicy.of(100, Duration.ofSeconds(60)));
        limiter.setPolicy("acme", "api", RateLimitPolicy.of(10, Duration.ofSeconds(1)));
        limiter.setPolicy("globex", "llm", RateLimitPolicy.of(1, Duration.ofSeconds(1)));
        redis.execute(j -> j.hset("crew:acme:ratelimit-policy", "broken", "not json"));
        List<StoredPolicy> all = all((c, l) -> limiter.storedPolicies("acme", c, l), 2);
        assertEquals(List.of("api", "broken", "default", "llm"), all.stream().map(StoredPolicy::resource).toList());
        Quota llm = all.get(3).quota();
        assertEquals(5, llm.limits().get(0).max());
        assertNull(all.get(1).quota()); // not a valid policy: listed, marked
        assertRefused("cursor", () -> limiter.storedPolicies("acme", forged("policies", "a:b"), 2));
        assertRefused("limit", () -> limiter.storedPolicies("acme", null, 1001));
    }

    // ---- memory ------------------------------------------------------------------------------------------------

    @Test
    void theMemoryEstimateMatchesMemoryUsageOfEveryKey() {
        // tenant "big": 120 values of one size, "small": 80 of another, "mixed": 100 of as many sizes; task and system
        // keys beside them, and keys of no tenant
        redis.execute(j -> {
            for (int i = 0; i < 120; i++) {
                j.set(String.format("crew:big:cache:k%03d", i), "x".repeat(4000));
            }
            for (int i = 0; i < 80; i++) {
                j.set(String.format("crew:small:cache:k%03d", i), "y".repeat(100));
            }
            for (int i = 0; i < 100; i++) {
                j.set(String.format("crew:mixed:blob:k%03d", i), "z".repeat(50 + 37 * i));
            }
            return null;
        });
        queues.forTenant("small").queue("jobs").enqueueAll(normal("work", 10));
        fill(50);
        Map<String, Long> exact = exactUsage();

        // every key measured: the estimate is the sum itself, with no sampling error
        RedisMemoryEstimator estimator = new RedisMemoryEstimator(redis);
        MemoryEstimate e = estimator.estimate(new EstimateRequest(null, new KeyspaceScan.Budget(10_000, 100), 100_000,
                0, 10));
        long total = exact.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(total, e.total().bytes());
        assertEquals(exact.size(), e.total().keys());
        assertEquals(0, e.total().standardError());
        assertTrue(e.scan().complete());
        assertEquals(1.0, e.scan().coverage());
        for (String t : List.of("big", "small", "mixed")) {
            assertEquals(sum(exact, "crew:" + t + ":"), tenant(e, t).bytes(), t);
        }
        assertEquals(sum(exact, "crew:small:tasks:"), component(tenant(e, "small"), "tasks").bytes());
        assertEquals(sum(exact, "filler:"), e.outside().bytes());
        assertEquals(50, e.outside().keys());
        assertEquals(sum(exact, "crew:_sys:"), e.system().bytes());
        assertEquals(List.of("catalog", "tasks"), e.system().components().stream().map(MemoryEstimate.Share::name)
                .sorted().toList());
        assertEquals(List.of("big", "mixed", "small"), e.tenants().stream().map(MemoryEstimate.TenantShare::tenant)
                .toList());
        assertEquals(masters(), e.nodes().size());
        assertEquals(exact.size(), e.nodes().stream().mapToLong(MemoryEstimate.NodeMemory::dbSize).sum());
        assertTrue(e.nodes().stream().allMatch(n -> n.usedMemory() > 0 && n.complete()));
        assertEquals(exact.size(), e.sampling().samples());
        int cluster = masters() > 1 ? 2 : 0;
        // per master DBSIZE, INFO and one pipeline of MEMORY USAGE; CLUSTER NODES twice on a Cluster
        assertEquals(e.scan().scanCalls() + 3 * masters() + cluster, e.cost().roundTrips());

        // a sample of a few keys per component: keys are still counted exactly, values of one size per tenant are
        // estimated exactly, and where sizes vary the share has an error and lies between the extremes
        MemoryEstimate s = estimator.estimate(new EstimateRequest(null, new KeyspaceScan.Budget(10_000, 100), 30, 0,
                1));
        assertTrue(s.sampling().samples() <= 30, s.sampling().toString());
        assertEquals(exact.size(), s.total().keys());
        assertEquals(1, s.tenants().size());
        assertEquals("2", s.otherTenants().name()); // the tenants not listed, summed
        MemoryEstimate.Share blob = s.components().stream().filter(c -> c.name().equals("blob")).findFirst()
                .orElseThrow();
        assertEquals(100, blob.keys());
        assertTrue(blob.samples() >= 2 && blob.samples() < 100, blob.toString()); // the error: MemoryEstimatesTest
        long smallest = exact.get("crew:mixed:blob:k000");
        long largest = exact.get("crew:mixed:blob:k099");
        assertTrue(blob.bytes() >= 100 * smallest && blob.bytes() <= 100 * largest, blob.toString());
        MemoryEstimate.Share cache = s.components().stream().filter(c -> c.name().equals("cache")).findFirst()
                .orElseThrow();
        assertEquals(200, cache.keys());

        // one tenant only, and a partial scan that says so
        MemoryEstimate only = estimator.estimate(new EstimateRequest("small", new KeyspaceScan.Budget(10_000, 100),
                100_000, 0, 10));
        assertEquals(List.of("small"), only.tenants().stream().map(MemoryEstimate.TenantShare::tenant).toList());
        assertEquals(sum(exact, "crew:small:"), only.total().bytes());
        assertEquals(0, only.outside().keys());
        MemoryEstimate partial = estimator.estimate(new EstimateRequest(null, new KeyspaceScan.Budget(10, 1), 100, 5,
                10));
        assertFalse(partial.scan().complete());
        assertTrue(partial.scan().coverage() < 1.0);
        assertEquals(masters(), partial.scan().scanCalls());
        assertRefused("samples", () -> new EstimateRequest(null, new KeyspaceScan.Budget(10, 1), 0, 5, 10));
        assertRefused("top", () -> new EstimateRequest(null, new KeyspaceScan.Budget(10, 1), 10, 5, 0));
        assertRefused("usageSamples", () -> new EstimateRequest(null, new KeyspaceScan.Budget(10, 1), 10, -1, 1));
        assertRefused("tenant id", () -> new EstimateRequest("a:b", new KeyspaceScan.Budget(10, 1), 10, 1, 1));
    }

    /** {@code MEMORY USAGE <key> SAMPLES 0} of every key (a SCAN per master through the manager's client). */
    private Map<String, Long> exactUsage() {
        Map<String, Long> out = new HashMap<>();
        KeyspaceScan.run(redis, new KeyspaceScan.Budget(10_000, 100), (node, keys) -> {
            for (String k : keys) {
                out.put(k, null);
            }
        });
        for (String k : List.copyOf(out.keySet())) {
            out.put(k, redis.execute(j -> j.memoryUsage(k, 0)));
        }
        return out;
    }

    private static long sum(Map<String, Long> usage, String prefix) {
        return usage.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    private static MemoryEstimate.TenantShare tenant(MemoryEstimate e, String tenant) {
        return e.tenants().stream().filter(t -> t.tenant().equals(tenant)).findFirst()
                .orElseThrow(() -> new AssertionError("no tenant " + tenant + " in " + e.tenants()));
    }

    private static MemoryEstimate.Share component(MemoryEstimate.TenantShare t, String component) {
        return t.components().stream().filter(c -> c.name().equals(component)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + component + " in " + t));
    }
}
