package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.sessions.RedisSessionManager;
import io.mcpcrew.crew.sessions.TenantSessions;
import io.mcpcrew.crew.tasks.EnqueuedFlow;
import io.mcpcrew.crew.tasks.NewFlow;
import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskOptions;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.ClaimBatch;
import io.mcpcrew.crew.tasks.Task;
import io.mcpcrew.crew.tasks.TaskLeases;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code redis.crew.durability.replicas}: a master with one replica, found through a Sentinel. A task enqueue (one,
 * a batch, a flow), an event publish and a session creation return once the replica has them; with the replica
 * stopped or frozen, or more replicas asked for than exist, they throw {@link NotReplicatedException} naming the write
 * (never a plain success, never the local fallback), within the durability timeout and a margin.
 */
class DurabilityIT {
    private static final Duration WAIT = Duration.ofMillis(300);
    /** Bound of a call that must give up after WAIT: it proves the wait ends, it measures nothing. */
    private static final Duration BOUND = WAIT.plusSeconds(10);
    private static RedisSentinel sentinel;
    private TestManagers managers;

    @BeforeAll
    static void start() {
        sentinel = RedisSentinel.startWithReplicas(1);
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @BeforeEach
    void fresh() {
        RedisServer replica = replica();
        if (replica.isRunning()) {
            replica.thaw(); // a test may have left it frozen
        } else {
            replica.start();
        }
        RedisSentinel.awaitInSync(replica);
        sentinel.master().flushAll();
        sentinel.master().command("CONFIG", "SET", "min-replicas-to-write", "0");
        managers = new TestManagers(sentinel.master());
    }

    @AfterEach
    void close() {
        managers.close();
    }

    private static RedisServer replica() {
        return sentinel.replicas().get(0);
    }

    private JedisRedisManager manager(int replicas, String... extra) {
        Map<String, String> c = new HashMap<>(sentinel.managerConfig());
        for (int i = 0; i < extra.length; i += 2) {
            c.put(extra[i], extra[i + 1]);
        }
        c.put("redis.crew.durability.replicas", String.valueOf(replicas));
        c.put("redis.crew.durability.timeout", WAIT.toMillis() + "ms");
        return managers.open(c);
    }

    private static String taskKey(String queue, String id) {
        return "crew:t1:tasks:{t1." + queue + "}:task:" + id;
    }

    private static boolean onReplica(String key) {
        return replica().command("EXISTS", key).equals(":1");
    }

    @Test
    void aWorkerRunsOnlyConfirmedClaimsAndSendsAnUnconfirmedAcknowledgementAgain() {
        RedisTaskQueues queues = new RedisTaskQueues(manager(1));
        TaskQueue q = queues.forTenant("t1").queue("w");
        String id = q.enqueue("send", "{}", TaskPriority.NORMAL);
        TaskLeases leases = queues.forTenant("t1").leases("w");
        Duration lease = Duration.ofSeconds(2);

        replica().freeze();
        assertThrows(NotReplicatedException.class, () -> leases.claim(1, lease),
                "a claim the replica did not confirm hands out no task");
        replica().thaw();
        RedisSentinel.awaitInSync(replica());
        assertTrue(leases.claim(1, lease).isEmpty(), "the unconfirmed claim holds the task until its lease expires");
        Task t = null;
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (t == null && System.nanoTime() < deadline) {
            List<Task> got = leases.claim(1, lease);
            t = got.isEmpty() ? null : got.get(0);
        }
        assertTrue(t != null && t.id().equals(id), "claimed again once the lease expired");
        assertEquals(2, t.attempt());

        replica().freeze();
        Task running = t;
        assertThrows(NotReplicatedException.class,
                () -> leases.ackAndClaim(List.of(running), java.util.Collections.singletonList("ok"), 0, lease),
                "an acknowledgement the replica did not confirm is not a success yet");
        replica().thaw();
        RedisSentinel.awaitInSync(replica());
        ClaimBatch again = leases.ackAndClaim(List.of(running), java.util.Collections.singletonList("ok"), 0, lease);
        assertEquals(List.of(true), again.acked(), "sent again within the lease: acknowledged once, confirmed");
        assertEquals("SUCCEEDED", replica().command("HGET", taskKey("w", id), "state"),
                "the replica holds the success");
    }

    @Test
    void enqueuedTasksAndFlowsAreOnTheReplicaWhenTheCallReturns() {
        TaskQueue q = new RedisTaskQueues(manager(1)).forTenant("t1").queue("q");
        String one = q.enqueue("send", "{}", TaskPriority.NORMAL);
        assertTrue(onReplica(taskKey("q", one)), "task " + one + " on the replica");
        List<NewTask> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(new NewTask("send", "{\"n\":" + i + "}", TaskPriority.HIGH));
        }
        for (String id : q.enqueueAll(batch)) {
            assertTrue(onReplica(taskKey("q", id)), "task " + id + " of the batch on the replica");
        }
        EnqueuedFlow flow = q.enqueueFlow(new NewFlow(new NewTask("parent", "{}", TaskPriority.NORMAL),
                List.of(new NewTask("child", "{}", TaskPriority.NORMAL), new NewTask("child", "{}", TaskPriority.NORMAL))));
        assertTrue(onReplica(taskKey("q", flow.parentId())), "flow parent on the replica");
        flow.childIds().forEach(id -> assertTrue(onReplica(taskKey("q", id)), "flow child " + id + " on the replica"));
        String keyed = q.enqueue("send", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withIdempotencyKey("k"));
        assertEquals(keyed, q.enqueue("send", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withIdempotencyKey("k")));
        assertTrue(onReplica(taskKey("q", keyed)));
    }

    @Test
    void eventsAndSessionsAreOnTheReplicaWhenTheCallReturns() {
        JedisRedisManager redis = manager(1);
        TenantEvents events = new RedisEventManager(redis).forTenant("t1");
        events.publish(Event.builder(EventType.of("order.created")).data(Map.of("n", 1)).build(), "orders");
        assertEquals(":1", replica().command("XLEN", "crew:t1:events:{t1.orders}"));
        events.publishAll(List.of(Event.builder(EventType.of("a")).build(), Event.builder(EventType.of("b")).build()),
                "orders");
        assertEquals(":3", replica().command("XLEN", "crew:t1:events:{t1.orders}"));
        TenantSessions sessions = new RedisSessionManager(redis).forTenant("t1");
        String id = sessions.createSession("alice", Map.of("theme", "dark"));
        assertTrue(onReplica("crew:t1:sessions:{t1.alice}:session:" + id), "session " + id + " on the replica");
    }

    @Test
    void withTheReplicaStoppedAnEnqueueIsNotConfirmedAndNamesTheTask() {
        JedisRedisManager redis = manager(1);
        RedisTaskQueues queues = new RedisTaskQueues(redis);
        TaskQueue q = queues.forTenant("t1").queue("q");
        replica().stop();
        NotReplicatedException e = assertTimeoutPreemptively(BOUND, () -> assertThrows(NotReplicatedException.class,
                () -> q.enqueue("send", "{}", TaskPriority.NORMAL)));
        assertEquals(0, e.acknowledged());
        assertEquals(1, e.required());
        String id = e.getMessage().substring("task ".length(), "task ".length() + 32);
        assertTrue(e.getMessage().contains("idempotency key") && e.getMessage().contains("queue \"q\""), e.getMessage());
        assertEquals(":1", sentinel.master().command("EXISTS", taskKey("q", id)), "the master has the task");
        assertEquals(0, queues.bufferedTasks(), "not taken by the local fallback");
        assertEquals(1.0, redis.metrics().registry().get("crew.redis.writes.not.replicated").counter().count());
    }

    @Test
    void moreReplicasThanThereAreIsNotConfirmedForEveryPromisedWrite() {
        JedisRedisManager redis = manager(2);
        TaskQueue q = new RedisTaskQueues(redis).forTenant("t1").queue("q");
        NotReplicatedException task = assertTimeoutPreemptively(BOUND, () -> assertThrows(NotReplicatedException.class,
                () -> q.enqueueAll(List.of(new NewTask("a", "{}", TaskPriority.LOW), new NewTask("b", "{}",
                        TaskPriority.LOW)))));
        assertEquals(1, task.acknowledged());
        assertTrue(task.getMessage().startsWith("2 tasks "), task.getMessage());
        NotReplicatedException flow = assertThrows(NotReplicatedException.class, () -> q.enqueueFlow(new NewFlow(
                new NewTask("p", "{}", TaskPriority.LOW), List.of(new NewTask("c", "{}", TaskPriority.LOW)))));
        assertTrue(flow.getMessage().startsWith("flow of parent task "), flow.getMessage());
        TenantEvents events = new RedisEventManager(redis).forTenant("t1");
        NotReplicatedException event = assertThrows(NotReplicatedException.class,
                () -> events.publish(Event.builder(EventType.of("x")).build(), "orders"));
        assertTrue(event.getMessage().startsWith("event of stream \"orders\""), event.getMessage());
        NotReplicatedException session = assertThrows(NotReplicatedException.class,
                () -> new RedisSessionManager(redis).forTenant("t1").createSession("bob", Map.of()));
        assertTrue(session.getMessage().startsWith("new session of user \"bob\""), session.getMessage());
    }

    /**
     * A retry with the idempotency key finds the first task on the master and writes nothing. From Redis 7.2 a
     * connection's {@code WAIT} offset moves only with its own writes, so from a connection that wrote nothing since
     * (another node's) {@code WAIT} alone would be answered at once by the replica, which does not have the task. The
     * barrier write makes it wait for the master's current offset: while the replica is frozen the retry is not
     * confirmed either; once it runs again, the retry answers the first id and the task is on the replica. (Redis 7.0
     * moves the offset after every command, so there the barrier only repeats what the server does.)
     */
    @Test
    void aRetryWithTheIdempotencyKeyIsConfirmedOnlyOnceTheFirstWriteIsReplicated() {
        TaskQueue first = new RedisTaskQueues(manager(1)).forTenant("t1").queue("q");
        TaskQueue other = new RedisTaskQueues(manager(1)).forTenant("t1").queue("q");
        TaskOptions key = TaskOptions.defaults().withIdempotencyKey("order-7");
        replica().freeze();
        NotReplicatedException e = assertThrows(NotReplicatedException.class,
                () -> first.enqueue("send", "{}", TaskPriority.NORMAL, key));
        String id = e.getMessage().substring("task ".length(), "task ".length() + 32);
        NotReplicatedException retry = assertThrows(NotReplicatedException.class,
                () -> other.enqueue("send", "{}", TaskPriority.NORMAL, key));
        assertTrue(retry.getMessage().startsWith("task " + id + " "), "names the first task: " + retry.getMessage());
        replica().thaw();
        assertEquals(id, other.enqueue("send", "{}", TaskPriority.NORMAL, key));
        assertTrue(onReplica(taskKey("q", id)));
    }

    @Test
    void offByDefaultAndAnswersAtOnceWithoutAReplica() {
        TaskQueue q = new RedisTaskQueues(manager(0)).forTenant("t1").queue("q");
        replica().stop();
        String id = q.enqueue("send", "{}", TaskPriority.NORMAL);
        assertEquals(":1", sentinel.master().command("EXISTS", taskKey("q", id)));
        assertFalse(q.get(id).isEmpty());
    }

    /**
     * A master that refuses writes for want of replicas ({@code min-replicas-to-write}) answers NOREPLICAS: every
     * write path, plain command, script or an item of a coalesced batch script, reports it as unavailable (retryable,
     * HTTP 503), never as rejected data (HTTP 500).
     */
    @Test
    void noReplicasIsAnOutageOnEveryWritePath() {
        JedisRedisManager redis = manager(0, "redis.crew.fallback.enabled", "false",
                "redis.crew.breaker.failure-threshold", "100");
        TenantSessions sessions = new RedisSessionManager(redis).forTenant("t1");
        String session = sessions.createSession("alice", Map.of());
        sentinel.master().command("CONFIG", "SET", "min-replicas-to-write", "2");
        TaskQueue q = new RedisTaskQueues(redis).forTenant("t1").queue("q");
        TenantEvents events = new RedisEventManager(redis).forTenant("t1");
        List<Runnable> writes = List.of(() -> q.enqueue("send", "{}", TaskPriority.NORMAL),
                () -> events.publish(Event.builder(EventType.of("x")).build(), "orders"),
                () -> sessions.updateSession(session, Map.of("cart", 3)),
                () -> new io.mcpcrew.crew.ratelimit.RedisRateLimiter(redis).forTenant("t1").tryAcquire("llm", 10,
                        Duration.ofMinutes(1)));
        for (Runnable w : writes) {
            RedisUnavailableException e = assertThrows(RedisUnavailableException.class, w::run);
            assertTrue(e.getMessage().contains("NOREPLICAS"), e.getMessage());
            assertFalse(e instanceof NotReplicatedException);
        }
        assertEquals(List.of(), sentinel.master().scanKeys("crew:t1:tasks:*:task:*"), "no task written");
        assertEquals(":0", sentinel.master().command("EXISTS", "crew:t1:events:{t1.orders}"), "no event written");
        assertEquals("$-1", sentinel.master().command("HGET", "crew:t1:sessions:{t1.alice}:session:" + session, "d:cart"));
    }

    /**
     * With durability on, a task refused by NOREPLICAS is not taken by the local fallback (a write held on one node is
     * on no replica): the caller is told, nothing is buffered, and the same enqueue succeeds, replicated, once the
     * master takes writes again.
     */
    @Test
    void aDurableTaskRefusedForWantOfReplicasIsNeverHeldLocally() {
        RedisTaskQueues queues = new RedisTaskQueues(manager(1, "redis.crew.breaker.failure-threshold", "100"));
        TaskQueue q = queues.forTenant("t1").queue("q");
        q.enqueue("warm-up", "{}", TaskPriority.NORMAL); // registers the queue while writes are taken
        sentinel.master().command("CONFIG", "SET", "min-replicas-to-write", "2");
        RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                () -> q.enqueue("send", "{}", TaskPriority.NORMAL));
        assertTrue(e.getMessage().contains("NOREPLICAS"), e.getMessage());
        assertEquals(0, queues.bufferedTasks(), "not held on this node");
        sentinel.master().command("CONFIG", "SET", "min-replicas-to-write", "0");
        String id = q.enqueue("send", "{}", TaskPriority.NORMAL);
        assertTrue(onReplica(taskKey("q", id)));
    }

    /** Without durability, a task refused by NOREPLICAS is accepted locally and written back once writes are taken. */
    @Test
    void aTaskRefusedForWantOfReplicasIsWrittenBackWithoutDurability() throws InterruptedException {
        RedisTaskQueues queues = new RedisTaskQueues(manager(0));
        TaskQueue q = queues.forTenant("t1").queue("q");
        q.enqueue("warm-up", "{}", TaskPriority.NORMAL); // registers the queue while writes are taken
        sentinel.master().command("CONFIG", "SET", "min-replicas-to-write", "2");
        String id = q.enqueue("send", "{}", TaskPriority.NORMAL);
        assertEquals(1, queues.bufferedTasks());
        sentinel.master().command("CONFIG", "SET", "min-replicas-to-write", "0");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (queues.bufferedTasks() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, queues.bufferedTasks(), "written back within 20 s");
        assertEquals(":1", sentinel.master().command("EXISTS", taskKey("q", id)));
    }
}
