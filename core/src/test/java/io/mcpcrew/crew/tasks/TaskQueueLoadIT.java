package io.mcpcrew.crew.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The heavy contract tests: exactly-once across two workers (two "nodes"), and fairness across tenants. */
@ExtendWith(RedisServerExtension.class)
class TaskQueueLoadIT {
    private RedisServer server;
    private final List<JedisRedisManager> managers = new ArrayList<>();
    private final List<TaskWorker> workers = new ArrayList<>();

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.ensureRunningAndEmpty();
    }

    @AfterEach
    void tearDown() {
        workers.forEach(w -> w.stop(Duration.ofSeconds(5)));
        managers.forEach(JedisRedisManager::close);
    }

    /** A separate client, as a separate application node would have. */
    RedisTaskQueues node() {
        Map<String, String> cfg = new HashMap<>(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.tasks.poll-interval", "20ms",
                "redis.crew.tasks.workers.queue-refresh", "50ms"));
        JedisRedisManager m = new JedisRedisManager(RedisCrewConfig.load(cfg), null);
        managers.add(m);
        return new RedisTaskQueues(m);
    }

    /** The worker protocol of every queue in the registry, as the managed workers serve them. */
    static List<TaskLeases> registered(TaskQueues queues) {
        List<TaskLeases> out = new ArrayList<>();
        for (TaskQueue q : queues.registeredQueues()) {
            out.add(queues.forTenant(q.tenant()).leases(q.name()));
        }
        return out;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void twoWorkersRunTenThousandTasksExactlyOnceAndLoseNone() throws Exception {
        RedisTaskQueues nodeA = node();
        RedisTaskQueues nodeB = node();
        TaskQueue qa = nodeA.forTenant("acme").queue("bulk");
        TaskQueue qb = nodeB.forTenant("acme").queue("bulk");
        List<NewTask> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(new NewTask("work", "{\"i\":" + i + "}", TaskPriority.values()[i % 4]));
        }
        List<String> ids = qa.enqueueAll(batch);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger byA = new AtomicInteger();
        AtomicInteger byB = new AtomicInteger();
        workers.add(qa.startWorker(t -> {
            runs.computeIfAbsent(t.id(), k -> new AtomicInteger()).incrementAndGet();
            byA.incrementAndGet();
            return t.payload();
        }, 8));
        workers.add(qb.startWorker(t -> {
            runs.computeIfAbsent(t.id(), k -> new AtomicInteger()).incrementAndGet();
            byB.incrementAndGet();
            return t.payload();
        }, 8));
        await("all 10,000 acknowledged", () -> qa.stats().succeededTotal() >= 10_000);
        QueueStats s = qa.stats();
        assertEquals(10_000, s.succeededTotal());
        assertEquals(0, s.pending() + s.running() + s.scheduled() + s.failedWaitingRetry() + s.dead());
        assertEquals(10_000, runs.size());
        for (String id : ids) {
            assertEquals(1, runs.get(id).get(), "task " + id + " ran once");
        }
        assertEquals(10_000, byA.get() + byB.get());
        assertTrue(byA.get() > 0 && byB.get() > 0, "both workers took tasks: " + byA + " / " + byB);
        for (int i = 0; i < ids.size(); i += 97) {
            TaskInfo t = qb.get(ids.get(i)).orElseThrow();
            assertEquals(TaskState.SUCCEEDED, t.state());
            assertEquals("{\"i\":" + i + "}", t.result());
        }
    }

    @Test
    void aTenantWithTenTasksIsNotStarvedByOneWithAHundredThousand() throws Exception {
        RedisTaskQueues node = node();
        TaskQueue big = node.forTenant("bigcorp").queue("jobs");
        TaskQueue small = node.forTenant("smallco").queue("jobs");
        List<NewTask> many = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            many.add(new NewTask("work", "{}", TaskPriority.NORMAL));
        }
        big.enqueueAll(many);
        for (int i = 0; i < 10; i++) {
            small.enqueue("work", "{}", TaskPriority.NORMAL);
        }
        AtomicLong bigDone = new AtomicLong();
        AtomicInteger smallDone = new AtomicInteger();
        AtomicLong bigDoneWhenSmallFinished = new AtomicLong(-1);
        TaskWorkerPool pool = new TaskWorkerPool("fairness", () -> registered(node), name -> task -> {
            if (task.tenant().equals("bigcorp")) {
                bigDone.incrementAndGet();
            } else if (smallDone.incrementAndGet() == 10) {
                bigDoneWhenSmallFinished.set(bigDone.get());
            }
            return null;
        }, 4, null, null, node.config());
        workers.add(pool);
        pool.start();
        await("the small tenant's 10 tasks ran", () -> smallDone.get() == 10);
        long bigBefore = bigDoneWhenSmallFinished.get();
        // strict FIFO over both would have run 100,000 big tasks first; round-robin gives ~2 per round each
        assertTrue(bigBefore < 1_000, "the big tenant ran " + bigBefore + " tasks before the small one's 10 finished");
        assertTrue(big.stats().pending() > 90_000);
    }

    /**
     * A tenant whose tasks never finish (here: until released) holds at most its share of the pool, over all its
     * queues, and the dispatcher does not claim more of its tasks than that (they stay PENDING, not leased); another
     * tenant's tasks run on the other slots meanwhile. Without the cap the blocked tenant takes every slot and the
     * other tenant's tasks never start.
     */
    @Test
    void aTenantAtItsShareLeavesTheOtherSlotsToOtherTenants() throws Exception {
        RedisTaskQueues node = node();
        TaskQueue slow = node.forTenant("hog").queue("slow");
        TaskQueue slower = node.forTenant("hog").queue("slower");
        TaskQueue other = node.forTenant("other").queue("jobs");
        List<NewTask> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(new NewTask("block", "{}", TaskPriority.NORMAL));
        }
        slow.enqueueAll(twenty);
        slower.enqueueAll(twenty);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger hogRunning = new AtomicInteger();
        AtomicInteger hogMostAtOnce = new AtomicInteger();
        AtomicInteger hogDone = new AtomicInteger();
        AtomicInteger otherDone = new AtomicInteger();
        TaskWorkerPool pool = new TaskWorkerPool("share", () -> registered(node), name -> task -> {
            if (!task.tenant().equals("hog")) {
                otherDone.incrementAndGet();
                return null;
            }
            hogMostAtOnce.accumulateAndGet(hogRunning.incrementAndGet(), Math::max);
            try {
                assertTrue(release.await(120, TimeUnit.SECONDS), "released");
            } finally {
                hogRunning.decrementAndGet();
            }
            hogDone.incrementAndGet();
            return null;
        }, 4, 2, null, null, node.config());
        assertEquals(2, pool.tenantMaxShare());
        workers.add(pool);
        try {
            pool.start();
            await("the blocked tenant runs tasks", () -> hogRunning.get() >= 2);
            for (int i = 0; i < 5; i++) {
                other.enqueue("work", "{}", TaskPriority.NORMAL);
            }
            await("the other tenant's 5 tasks ran beside the blocked ones", () -> otherDone.get() == 5);
            assertEquals(0, hogDone.get(), "no task of the blocked tenant finished meanwhile");
            assertEquals(2, hogMostAtOnce.get(), "the blocked tenant never ran more than its share");
            assertEquals(2, slow.stats().running() + slower.stats().running(),
                    "the dispatcher leased no more of its tasks than its share");
            assertEquals(38, slow.stats().pending() + slower.stats().pending());
        } finally {
            release.countDown();
        }
        await("the blocked tenant's 40 tasks ran once released", () -> hogDone.get() == 40);
        assertEquals(2, hogMostAtOnce.get(), "at most its share at once, over both its queues");
    }
}
