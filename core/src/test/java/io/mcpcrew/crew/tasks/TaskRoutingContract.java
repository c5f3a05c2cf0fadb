package io.mcpcrew.crew.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TaskQueue contract on who claims what: a worker claims only the task names it serves, so a task no node has
 * a handler for waits (unclaimed, attempts untouched) and never dead-letters for want of one. Run on every topology
 * with the rest of {@link TaskQueueContract} by the same subclasses.
 */
abstract class TaskRoutingContract extends TaskQueueContract {
    private final List<JedisRedisManager> otherNodes = new ArrayList<>();

    @AfterEach
    void closeOtherNodes() {
        otherNodes.forEach(JedisRedisManager::close);
    }

    /** Another node of the same deployment: its own manager and queues on the same Redis and settings. */
    RedisTaskQueues anotherNode() {
        JedisRedisManager m = new JedisRedisManager(RedisCrewConfig.load(settings), null);
        otherNodes.add(m);
        return new RedisTaskQueues(m);
    }

    /** A handler of {@code name} whose result names the node that ran it; counts its runs in {@code runs}. */
    static NamedTaskHandler handler(String name, String node, Map<String, String> ranOn) {
        return new NamedTaskHandler() {
            public String taskName() {
                return name;
            }

            public String handle(Task task) {
                String before = ranOn.putIfAbsent(task.id(), node);
                if (before != null) {
                    throw new AssertionError(task.id() + " ran twice: on " + before + " and " + node);
                }
                return "\"" + node + "\"";
            }
        };
    }

    @Test
    void aTaskIsClaimedOnlyByANodeWithItsHandlerAndOneNobodyServesWaitsUnclaimed() throws Exception {
        TaskQueue q = queue("acme", "jobs");
        Map<String, String> ranOn = new ConcurrentHashMap<>();
        TaskQueue onB = anotherNode().forTenant("acme").queue("jobs");
        List<String> resize = new ArrayList<>();
        List<String> mail = new ArrayList<>();
        List<String> zip = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            resize.add(q.enqueue("resize", "{}", TaskPriority.NORMAL));
            mail.add(onB.enqueue("mail", "{}", i % 2 == 0 ? TaskPriority.HIGH : TaskPriority.LOW));
            if (i % 10 == 0) {
                zip.add(q.enqueue("zip", "{}", TaskPriority.CRITICAL));
            }
        }
        TaskWorker a = track(q.startWorker(List.of(handler("resize", "A", ranOn)), 4, null));
        TaskWorker b = track(onB.startWorker(List.of(handler("mail", "B", ranOn)), 4, null));
        await("every resize and mail task succeeded", () -> a.succeeded() == 40 && b.succeeded() == 40);
        for (String id : resize) {
            assertEquals("A", ranOn.get(id), "resize runs on the node with its handler");
            assertEquals("\"A\"", q.get(id).orElseThrow().result());
        }
        for (String id : mail) {
            assertEquals("B", ranOn.get(id), "mail runs on the node with its handler");
        }
        Thread.sleep(200); // ten poll intervals more: still nobody may take a zip task
        for (String id : zip) {
            TaskInfo t = q.get(id).orElseThrow();
            assertEquals(TaskState.PENDING, t.state(), "a task nobody serves waits: " + t);
            assertEquals(0, t.attempts(), "no attempt is spent for want of a handler: " + t);
            assertFalse(ranOn.containsKey(id));
        }
        assertEquals(0, a.failed() + b.failed() + a.deferred() + b.deferred());
        QueueStats s = q.stats();
        assertEquals(4, s.pending(), s.toString());
        assertEquals(4, s.unclaimed(), "the zip tasks are unclaimed: " + s);
        assertTrue(s.oldestUnclaimedAgeMillis() >= 200, s.toString());
        assertEquals(0, s.dead() + s.deadTotal() + s.failedAttemptsTotal(), s.toString());
        assertEquals(List.of(new TaskNameStats("zip", 4, s.oldestUnclaimedAgeMillis(), false)),
                s.byTaskName().stream().filter(n -> n.pending() > 0).toList(), s.toString());
        assertTrue(s.byTaskName().stream().filter(n -> !n.taskName().equals("zip")).allMatch(TaskNameStats::served),
                "resize and mail are served: " + s);

        TaskWorker late = track(onB.startWorker(List.of(handler("zip", "B", ranOn)), 2, null));
        await("the zip tasks ran once a node serves them", () -> late.succeeded() == 4);
        await("nothing is unclaimed", () -> q.stats().unclaimed() == 0);
        assertEquals(Set.of(), redis.execute(j -> j.smembers(((RedisTaskQueue) q).keys().names)),
                "names whose lists are all empty leave the names set");
    }

    @Test
    void priorityIsStrictAcrossNamesAndFifoWithinANameAndPriority() {
        TaskQueue q = queue("acme", "mixed");
        List<String> lowA = new ArrayList<>();
        List<String> highB = new ArrayList<>();
        List<String> critA = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lowA.add(q.enqueue("a", "{}", TaskPriority.LOW));
            highB.add(q.enqueue("b", "{}", TaskPriority.HIGH));
            critA.add(q.enqueue("a", "{}", TaskPriority.CRITICAL));
            q.enqueue("c", "{}", TaskPriority.CRITICAL); // not served below: never claimed
        }
        List<String> got = ids(queues.forTenant("acme").leases("mixed", Set.of("a", "b")).claim(100,
                Duration.ofSeconds(30)));
        List<String> expected = new ArrayList<>(critA);
        expected.addAll(highB);
        expected.addAll(lowA);
        assertEquals(expected, got, "CRITICAL a, then HIGH b, then LOW a, each in enqueue order; c left alone");
        assertEquals(3, q.stats().pending(), "the three c tasks wait");
    }

    @Test
    void theNamesOfOnePriorityTakeTurns() {
        TaskQueue q = queue("acme", "turns");
        for (int i = 0; i < 10; i++) {
            q.enqueue("a", "{}", TaskPriority.NORMAL);
        }
        for (int i = 0; i < 10; i++) {
            q.enqueue("b", "{}", TaskPriority.NORMAL);
        }
        TaskLeases both = leases(q);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            names.add(both.claim(1, Duration.ofSeconds(30)).get(0).name());
        }
        assertEquals(3, names.stream().filter("a"::equals).count(), "one name does not starve the other: " + names);
        for (int i = 1; i < names.size(); i++) {
            assertTrue(!names.get(i).equals(names.get(i - 1)), "the names alternate: " + names);
        }
    }

    @Test
    void aReleasedTaskWithADelayWaitsScheduledWithoutSpendingItsAttempt() throws Exception {
        TaskQueue q = queue("acme", "later");
        String id = q.enqueue("job", "{}", TaskPriority.NORMAL,
                TaskOptions.defaults().withMaxAttempts(1));
        TaskLeases l = leases(q);
        List<Task> claimed = l.claim(1, Duration.ofSeconds(30));
        assertEquals(1, q.get(id).orElseThrow().attempts());
        assertEquals(1, l.release(claimed, Duration.ofMillis(300)));
        TaskInfo t = q.get(id).orElseThrow();
        assertEquals(TaskState.SCHEDULED, t.state());
        assertEquals(0, t.attempts(), "the released attempt is not counted");
        assertEquals(List.of(), l.claim(1, Duration.ofSeconds(30)), "not before the delay");
        assertEquals(0, l.release(claimed, Duration.ZERO), "a lease given back is not the worker's any more");
        await("claimable after the delay", () -> !l.claim(1, Duration.ofSeconds(30)).isEmpty());
        assertEquals(1, q.get(id).orElseThrow().attempts(), "its one attempt is still there to spend");
    }

    @Test
    void aBulkheadRejectionDefersTheTaskWithoutSpendingAnAttempt() throws Exception {
        TaskQueue q = queue("acme", "bulkhead");
        String id = q.enqueue("busy", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(1));
        AtomicInteger calls = new AtomicInteger();
        TaskWorker w = track(q.startWorker(task -> {
            if (calls.incrementAndGet() <= 3) {
                throw new BulkheadException("bulkhead full"); // as a handler's MicroProfile @Bulkhead throws it
            }
            return "\"ran\"";
        }, 2));
        await("the task succeeded", () -> stateOf(q, id) == TaskState.SUCCEEDED);
        TaskInfo t = q.get(id).orElseThrow();
        assertEquals(1, t.attempts(), "three rejections spent none of its one attempt: " + t);
        assertEquals(3, w.deferred());
        assertEquals(0, w.failed());
        assertEquals(0, q.stats().failedAttemptsTotal());
    }

    @Test
    void tasksLeftInTheListsOfWireFormatOneAreMovedToTheirNameAndClaimed() {
        TaskQueue q = queue("acme", "upgraded");
        TaskKeys k = ((RedisTaskQueue) q).keys();
        long now = System.currentTimeMillis();
        redis.execute(j -> {
            j.hset(k.task("old1"), Map.of("spec", "a|NORMAL|3|10|40|0|" + now + "|", "payload", "1", "state", "PENDING"));
            j.hset(k.task("old2"), Map.of("spec", "b|HIGH|3|10|40|0|" + now + "|", "payload", "2", "state", "PENDING"));
            j.rpush(k.legacyPending.get(2), "old1");
            return j.rpush(k.legacyPending.get(1), "old2");
        });
        q.enqueue("a", "3", TaskPriority.NORMAL);
        assertEquals(3, q.stats().pending(), "the old lists are counted");
        List<Task> got = queues.forTenant("acme").leases("upgraded", Set.of("a")).claim(10, Duration.ofSeconds(30));
        assertEquals(List.of("1", "3"), got.stream().map(Task::payload).toList(), "older tasks first");
        long left = redis.execute(j -> j.exists(k.legacyPending.toArray(new String[0])));
        assertEquals(0, left, "the lists of wire format 1 are gone");
        assertEquals(List.of("2"), leases(q).claim(10, Duration.ofSeconds(30)).stream().map(Task::payload).toList());
    }

    @Test
    void leasesNeedTaskNamesAndANamedWorkerNeedsHandlersOfDistinctNames() {
        TaskQueue q = queue("acme", "rules");
        TenantTaskQueues acme = queues.forTenant("acme");
        InvalidInputException none = assertThrows(InvalidInputException.class, () -> acme.leases("rules", Set.of()));
        assertTrue(none.getMessage().contains("no task names"), none.getMessage());
        assertThrows(InvalidInputException.class, () -> acme.leases("rules", Set.of("a b")));
        assertThrows(InvalidInputException.class, () -> q.startWorker(List.of(), 1, null));
        Map<String, String> ranOn = new ConcurrentHashMap<>();
        InvalidInputException twice = assertThrows(InvalidInputException.class,
                () -> q.startWorker(List.of(handler("x", "A", ranOn), handler("x", "B", ranOn)), 1, null));
        assertTrue(twice.getMessage().contains("two task handlers for task name \"x\""), twice.getMessage());
        assertEquals(Set.of("a", "b"), new HashSet<>(acme.leases("rules", Set.of("a", "b")).taskNames()));
        assertEquals(Set.of(), acme.leases("rules").taskNames(), "every name");
    }

    private static List<String> ids(List<Task> tasks) {
        return tasks.stream().map(Task::id).toList();
    }
}
