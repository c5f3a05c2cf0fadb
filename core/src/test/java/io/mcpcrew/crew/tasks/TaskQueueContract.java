package io.mcpcrew.crew.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.InvalidNameException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TaskQueue contract (the producer's {@link TaskQueue}, the worker protocol {@link TaskLeases} and the workers),
 * run against each topology by a subclass that supplies the Redis connection settings: standalone
 * {@link TaskQueueIT}, Cluster {@link TaskQueueClusterIT}, Sentinel {@link TaskQueueSentinelIT}. Enqueue while
 * Redis is down is {@link TaskQueueFallbackIT}.
 */
abstract class TaskQueueContract {
    /** Generous: the machine is shared and loaded. */
    static final Duration DEADLINE = Duration.ofSeconds(60);

    protected CountingRedisManager redis;
    protected RedisTaskQueues queues;
    /** The settings {@link #redis} was opened with: another node of the same deployment opens with them too. */
    protected Map<String, String> settings;
    private final List<TaskWorker> workers = new ArrayList<>();

    /** Connection settings of the topology under test. */
    abstract Map<String, String> connection();

    /** Empties the Redis under test. */
    abstract void flush();

    void open(Map<String, String> extra) {
        flush();
        Map<String, String> cfg = new HashMap<>(connection());
        cfg.put("redis.crew.tasks.lease", "2s");
        cfg.put("redis.crew.tasks.poll-interval", "20ms");
        cfg.put("redis.crew.tasks.backoff-base", "10ms");
        cfg.put("redis.crew.tasks.backoff-cap", "40ms");
        cfg.put("redis.crew.tasks.workers.queue-refresh", "50ms");
        cfg.putAll(extra);
        settings = Map.copyOf(cfg);
        redis = new CountingRedisManager(RedisCrewConfig.load(cfg));
        queues = new RedisTaskQueues(redis);
    }

    TaskQueue queue(String tenant, String name) {
        if (redis == null) {
            open(Map.of());
        }
        return queues.forTenant(tenant).queue(name);
    }

    /** The worker protocol of {@code q}, as a hand-written worker gets it. */
    TaskLeases leases(TaskQueue q) {
        return queues.forTenant(q.tenant()).leases(q.name());
    }

    TaskWorker track(TaskWorker w) {
        workers.add(w);
        return w;
    }

    @AfterEach
    void closeAll() {
        workers.forEach(w -> w.stop(Duration.ofSeconds(5)));
        if (redis != null) {
            redis.close();
        }
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

    static TaskState stateOf(TaskQueue q, String id) {
        return q.get(id).map(TaskInfo::state).orElse(null);
    }

    long pttl(String key) {
        return redis.execute(j -> j.pttl(key));
    }

    @Test
    void workerRunsATaskAndItsResultIsKeptWithTheTaskResultTtl() throws Exception {
        TaskQueue q = queue("acme", "emails");
        String id = q.enqueue("echo", "{\"to\":\"x@y.z\"}", TaskPriority.NORMAL);
        TaskInfo pending = q.get(id).orElseThrow();
        assertEquals(TaskState.PENDING, pending.state());
        assertEquals("echo", pending.name());
        assertEquals(-1, pttl(((RedisTaskQueue) q).keys().task(id)), "an unfinished task has no TTL");
        track(q.startWorker(Task::payload, 2));
        await("the task succeeded", () -> stateOf(q, id) == TaskState.SUCCEEDED);
        TaskInfo done = q.get(id).orElseThrow();
        assertEquals("{\"to\":\"x@y.z\"}", done.result());
        assertEquals(1, done.attempts());
        assertTrue(done.finishedAt() != null && done.startedAt() != null);
        long ttl = pttl(((RedisTaskQueue) q).keys().task(id));
        long resultTtl = redis.ttl(DataType.TASK_RESULT).toMillis();
        assertTrue(ttl > resultTtl - 60_000 && ttl <= resultTtl, "ttl " + ttl);
        assertEquals(1, q.stats().succeededTotal());
        assertTrue(queues.registeredQueues().contains(q), "the queue is in the registry");
    }

    @Test
    void priorityThenFifoOrderWithAThousandTasks() throws Exception {
        TaskQueue q = queue("acme", "ordered");
        Random random = new Random(42);
        List<NewTask> tasks = new ArrayList<>();
        List<int[]> expected = new ArrayList<>(); // {rank, index}
        for (int i = 0; i < 1000; i++) {
            TaskPriority p = TaskPriority.values()[random.nextInt(4)];
            tasks.add(new NewTask("work", "{\"i\":" + i + "}", p));
            expected.add(new int[] {p.rank(), i});
        }
        // enqueued in two halves with single enqueues in between: order is kept across calls
        List<String> ids = new ArrayList<>(q.enqueueAll(tasks.subList(0, 500)));
        for (int i = 500; i < 510; i++) {
            ids.add(q.enqueue("work", tasks.get(i).payload(), tasks.get(i).priority()));
        }
        ids.addAll(q.enqueueAll(tasks.subList(510, 1000)));
        assertEquals(1000, new java.util.HashSet<>(ids).size());
        expected.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        QueueStats stats = q.stats();
        assertEquals(1000, stats.pending());
        for (TaskPriority p : TaskPriority.values()) {
            long n = expected.stream().filter(e -> e[0] == p.rank()).count();
            assertEquals(n, stats.pendingByPriority().get(p), p.name());
        }
        List<String> order = new CopyOnWriteArrayList<>();
        track(q.startWorker(t -> {
            order.add(t.payload());
            return null;
        }, 1));
        await("all ran", () -> order.size() == 1000);
        for (int i = 0; i < 1000; i++) {
            assertEquals("{\"i\":" + expected.get(i)[1] + "}", order.get(i), "position " + i);
        }
    }

    @Test
    void failingTaskRetriesWithBackoffThenBecomesADeadLetterAndCanBeRetried() throws Exception {
        TaskQueue q = queue("acme", "flaky");
        String id = q.enqueue("boom", "{}", TaskPriority.HIGH, TaskOptions.defaults().withMaxAttempts(3));
        AtomicInteger calls = new AtomicInteger();
        TaskWorker w = track(q.startWorker(t -> {
            calls.incrementAndGet();
            throw new IllegalStateException("disk full on attempt " + t.attempt());
        }, 2));
        await("dead", () -> stateOf(q, id) == TaskState.DEAD);
        TaskInfo dead = q.get(id).orElseThrow();
        assertEquals(3, dead.attempts());
        assertEquals(3, calls.get());
        assertEquals("IllegalStateException: disk full on attempt 3", dead.lastError());
        assertTrue(dead.errorStack().startsWith("java.lang.IllegalStateException: disk full on attempt 3"),
                dead.errorStack());
        assertTrue(dead.errorStack().contains("\tat "), dead.errorStack());
        long ttl = pttl(((RedisTaskQueue) q).keys().task(id));
        assertTrue(ttl > 0 && ttl <= redis.ttl(DataType.DEAD_LETTER).toMillis(), "dead letter ttl " + ttl);
        assertTrue(pttl(((RedisTaskQueue) q).keys().dead) > 0, "the dead set has a TTL");
        List<TaskInfo> letters = q.deadLetters(10);
        assertEquals(List.of(id), letters.stream().map(TaskInfo::id).collect(java.util.stream.Collectors.toList()));
        QueueStats s = q.stats();
        assertEquals(1, s.dead());
        assertEquals(3, s.failedAttemptsTotal());
        w.stop(Duration.ofSeconds(5));

        assertEquals(Optional.of(TaskState.PENDING), q.retryDead(id));
        assertEquals(Optional.of(TaskState.PENDING), q.retryDead(id), "retrying a task that is not dead changes nothing");
        assertEquals(-1, pttl(((RedisTaskQueue) q).keys().task(id)), "a retried dead letter lives until done again");
        track(q.startWorker(t -> "\"fixed\"", 1));
        await("succeeded after the retry", () -> stateOf(q, id) == TaskState.SUCCEEDED);
        assertEquals(1, q.get(id).orElseThrow().attempts());
        assertEquals(0, q.stats().dead());
        assertEquals(Optional.empty(), q.retryDead("0123456789abcdef0123456789abcdef"));
    }

    @Test
    void permanentFailureDeadLettersAtOnce() throws Exception {
        TaskQueue q = queue("acme", "poison");
        String id = q.enqueue("bad", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(5));
        track(q.startWorker(t -> {
            throw new PermanentTaskFailure("payload cannot be parsed");
        }, 1));
        await("dead", () -> stateOf(q, id) == TaskState.DEAD);
        assertEquals(1, q.get(id).orElseThrow().attempts());
    }

    @Test
    void idempotencyKeyReturnsTheFirstTaskId() {
        TaskQueue q = queue("acme", "orders");
        TaskOptions once = TaskOptions.defaults().withIdempotencyKey("order-42");
        String first = q.enqueue("charge", "{\"amount\":1}", TaskPriority.NORMAL, once);
        String second = q.enqueue("charge", "{\"amount\":2}", TaskPriority.CRITICAL, once);
        assertEquals(first, second);
        assertEquals(1, q.stats().pending());
        assertEquals("{\"amount\":1}", q.get(first).orElseThrow().payload());
        assertEquals("order-42", q.get(first).orElseThrow().idempotencyKey());
        long ttl = pttl(((RedisTaskQueue) q).keys().idemPrefix + "order-42");
        assertTrue(ttl > 0 && ttl <= redis.ttl(DataType.IDEMPOTENCY).toMillis(), "idempotency ttl " + ttl);
        // another queue, another tenant: independent
        assertNotEquals(first, queue("acme", "other").enqueue("charge", "{}", TaskPriority.NORMAL, once));
        assertNotEquals(first, queue("globex", "orders").enqueue("charge", "{}", TaskPriority.NORMAL, once));
    }

    @Test
    void aWorkerThatDiesLosesItsLeaseAndTheTaskRunsOnceElsewhere() throws Exception {
        TaskQueue q = queue("acme", "leases");
        String id = q.enqueue("job", "{}", TaskPriority.NORMAL);
        // the "killed" worker: claims with a short lease and never renews, acks or fails
        List<Task> claimed = leases(q).claim(10, Duration.ofMillis(300));
        assertEquals(1, claimed.size());
        assertEquals(TaskState.RUNNING, stateOf(q, id));
        assertEquals(List.of(), leases(q).claim(10, Duration.ofSeconds(30)), "while leased nobody else gets it");
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        track(q.startWorker(t -> {
            runs.computeIfAbsent(t.id(), k -> new AtomicInteger()).incrementAndGet();
            return "\"done\"";
        }, 2));
        await("completed elsewhere", () -> stateOf(q, id) == TaskState.SUCCEEDED);
        assertEquals(1, runs.get(id).get());
        assertEquals(2, q.get(id).orElseThrow().attempts());
        assertEquals(1, q.stats().expiredLeasesTotal());
        // the dead worker wakes up: its ack, renew and fail are refused and change nothing
        assertEquals(List.of(false), leases(q).ack(claimed, Collections.singletonList("\"late\"")));
        assertEquals(List.of(false), leases(q).renew(claimed, Duration.ofSeconds(30)));
        assertEquals(Optional.empty(), leases(q).fail(claimed.get(0), new RuntimeException("late")));
        assertEquals(0, leases(q).release(claimed));
        TaskInfo done = q.get(id).orElseThrow();
        assertEquals(TaskState.SUCCEEDED, done.state());
        assertEquals("\"done\"", done.result());
    }

    @Test
    void leaseExpiryOnTheLastAttemptDeadLetters() throws Exception {
        TaskQueue q = queue("acme", "crashy");
        String id = q.enqueue("job", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(1));
        assertEquals(1, leases(q).claim(1, Duration.ofMillis(1)).size());
        Thread.sleep(5); // let the 1 ms lease pass; the next claim reclaims it
        assertEquals(List.of(), leases(q).claim(1, Duration.ofSeconds(30)));
        TaskInfo t = q.get(id).orElseThrow();
        assertEquals(TaskState.DEAD, t.state());
        assertTrue(t.lastError().startsWith("lease expired"), t.lastError());
    }

    @Test
    void renewedLeaseKeepsTheTask() throws Exception {
        TaskQueue q = queue("acme", "renew");
        q.enqueue("job", "{}", TaskPriority.NORMAL);
        List<Task> mine = leases(q).claim(1, Duration.ofSeconds(3));
        Thread.sleep(1500);
        assertEquals(List.of(true), leases(q).renew(mine, Duration.ofSeconds(3)), "renewed within its lease");
        // past the end of the first lease (3 s after the claim), within the renewed one (3 s after the renewal): the
        // margins (1.5 s before the renewal, 1 s after) leave room for a loaded machine's pauses
        Thread.sleep(2000);
        assertEquals(List.of(), leases(q).claim(1, Duration.ofSeconds(1)), "never given to a second worker");
        assertEquals(List.of(true), leases(q).renew(mine, Duration.ofSeconds(3)), "still this worker's");
        assertEquals(List.of(true), leases(q).ack(mine, Collections.singletonList(null)));
        assertEquals(TaskState.SUCCEEDED, stateOf(q, mine.get(0).id()));
    }

    @Test
    void cancelPendingAndScheduledButNotRunningTasks() throws Exception {
        TaskQueue q = queue("acme", "cancel");
        String pending = q.enqueue("job", "{}", TaskPriority.LOW);
        String later = q.enqueue("job", "{}", TaskPriority.LOW, TaskOptions.defaults().withDelay(Duration.ofHours(1)));
        String running = q.enqueue("job", "{}", TaskPriority.CRITICAL);
        assertEquals(TaskState.SCHEDULED, stateOf(q, later));
        assertEquals(running, leases(q).claim(1, Duration.ofSeconds(30)).get(0).id());
        assertEquals(Optional.of(TaskState.CANCELLED), q.cancel(pending));
        assertEquals(Optional.of(TaskState.CANCELLED), q.cancel(later));
        assertEquals(Optional.of(TaskState.RUNNING), q.cancel(running));
        assertEquals(Optional.empty(), q.cancel("no-such-task"));
        QueueStats s = q.stats();
        assertEquals(0, s.pending());
        assertEquals(0, s.scheduled());
        assertEquals(1, s.running());
        assertEquals(2, s.cancelledTotal());
        assertTrue(pttl(((RedisTaskQueue) q).keys().task(pending)) > 0, "a cancelled record expires");
        assertEquals(List.of(), leases(q).claim(5, Duration.ofSeconds(30)));
    }

    @Test
    void delayedTaskWaitsAsScheduledThenRuns() throws Exception {
        TaskQueue q = queue("acme", "delayed");
        long enqueued = System.currentTimeMillis(); // runAt >= this + 300 ms
        String id = q.enqueue("job", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withDelay(Duration.ofMillis(300)));
        assertEquals(TaskState.SCHEDULED, stateOf(q, id));
        assertEquals(1, q.stats().scheduled());
        List<Task> got = new ArrayList<>();
        await("due and claimed", () -> {
            got.addAll(leases(q).claim(1, Duration.ofSeconds(30)));
            return !got.isEmpty();
        });
        assertTrue(System.currentTimeMillis() - enqueued >= 300, "not claimed before it was due");
        assertEquals(id, got.get(0).id());
    }

    @Test
    void pausedQueueGivesNothingUntilResumed() {
        TaskQueue q = queue("acme", "paused");
        q.pause();
        String id = q.enqueue("job", "{}", TaskPriority.NORMAL);
        assertTrue(q.stats().paused());
        assertEquals(List.of(), leases(q).claim(10, Duration.ofSeconds(30)));
        assertEquals(TaskState.PENDING, stateOf(q, id));
        q.resume();
        assertFalse(q.stats().paused());
        assertEquals(id, leases(q).claim(10, Duration.ofSeconds(30)).get(0).id());
    }

    @Test
    void handlerExceedingItsTimeoutFailsTheAttempt() throws Exception {
        TaskQueue q = queue("acme", "slow");
        String id = q.enqueue("slow", "{}", TaskPriority.NORMAL,
                TaskOptions.defaults().withTimeout(Duration.ofMillis(100)).withMaxAttempts(1));
        CountDownLatch interrupted = new CountDownLatch(1);
        track(q.startWorker(t -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        }, 1));
        await("dead after the timeout", () -> stateOf(q, id) == TaskState.DEAD);
        assertTrue(q.get(id).orElseThrow().lastError().contains("timed out after 100 ms"),
                q.get(id).orElseThrow().lastError());
        assertTrue(interrupted.await(30, TimeUnit.SECONDS), "the handler thread was interrupted");
    }

    @Test
    void gracefulStopFinishesOrReleasesRunningTasks() throws Exception {
        TaskQueue q = queue("acme", "shutdown");
        String quick = q.enqueue("quick", "{}", TaskPriority.HIGH);
        String stuck = q.enqueue("stuck", "{}", TaskPriority.LOW);
        CountDownLatch quickStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuckStarted = new CountDownLatch(1);
        TaskWorker w = q.startWorker(t -> {
            if (t.name().equals("stuck")) {
                stuckStarted.countDown();
                Thread.sleep(60_000);
                return null;
            }
            quickStarted.countDown();
            release.await();
            return "\"ok\"";
        }, 2);
        assertTrue(quickStarted.await(30, TimeUnit.SECONDS));
        assertTrue(stuckStarted.await(30, TimeUnit.SECONDS));
        Thread stopper = new Thread(() -> w.stop(Duration.ofMillis(1500)));
        stopper.start();
        release.countDown(); // the quick one finishes within the grace period
        stopper.join(60_000);
        assertFalse(w.isAlive());
        assertEquals(TaskState.SUCCEEDED, stateOf(q, quick));
        TaskInfo back = q.get(stuck).orElseThrow();
        assertEquals(TaskState.PENDING, back.state(), "released, not lost");
        assertEquals(0, back.attempts(), "the interrupted attempt is not counted");
        assertEquals(stuck, leases(q).claim(1, Duration.ofSeconds(30)).get(0).id());
    }

    @Test
    void theTenantViewNamesItsTenantAndGivesTheProducerAndWorkerSidesOfOneQueue() {
        TaskQueue q = queue("acme", "sides");
        TenantTaskQueues acme = queues.forTenant("acme");
        assertEquals("acme", acme.tenant());
        assertEquals("acme", q.tenant());
        assertEquals("sides", q.name());
        TaskLeases l = acme.leases("sides");
        assertEquals("acme", l.tenant());
        assertEquals("sides", l.queue());
        String id = q.enqueue("job", "{}", TaskPriority.NORMAL);
        Task t = l.claim(1, Duration.ofSeconds(30)).get(0);
        assertEquals(id, t.id());
        assertEquals("acme", t.tenant());
        assertEquals("sides", t.queue());
        assertEquals(List.of(true), l.ack(List.of(t), Collections.singletonList("\"ok\"")));
        assertEquals(TaskState.SUCCEEDED, stateOf(q, id));
        assertThrows(InvalidNameException.class, () -> acme.leases("a:b"));
        assertThrows(InvalidNameException.class, () -> queues.forTenant("a b"));
    }

    @Test
    void badInputIsRejectedWithAMessageNamingTheRule() {
        open(Map.of("redis.crew.tasks.max-payload-bytes", "100"));
        TaskQueue q = queue("acme", "input");
        InvalidInputException big = assertThrows(InvalidInputException.class,
                () -> q.enqueue("job", "\"" + "x".repeat(200) + "\"", TaskPriority.NORMAL));
        assertTrue(big.getMessage().contains("at most 100 bytes"), big.getMessage());
        assertThrows(InvalidNameException.class, () -> q.enqueue("bad name", "{}", TaskPriority.NORMAL));
        assertThrows(InvalidNameException.class, () -> queues.forTenant("acme").queue("a:b"));
        assertThrows(InvalidNameException.class, () -> queues.forTenant("_sys").queue("queues"));
        assertThrows(InvalidInputException.class, () -> TaskPriority.parse("URGENT"));
        assertThrows(InvalidInputException.class, () -> TaskOptions.defaults().withDelay(Duration.ofSeconds(-1)));
        assertThrows(InvalidInputException.class, () -> TaskOptions.defaults().withMaxAttempts(0));
        assertThrows(InvalidInputException.class, () -> q.get("../x"));
        assertEquals(Optional.empty(), q.get("unknown"));
    }
}
