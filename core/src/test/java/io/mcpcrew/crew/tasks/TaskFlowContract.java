package io.mcpcrew.crew.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The TaskQueue contract on flows ({@link TaskQueue#enqueueFlow}): a parent that runs once, after its last child,
 * with the children's outcomes; the two failure policies; cancelling a flow; idempotent enqueue; input rules. Run on
 * every topology with the rest of {@link TaskCompletionContract} by the same subclasses.
 */
abstract class TaskFlowContract extends TaskCompletionContract {

    private static List<NewTask> parts(int n) {
        List<NewTask> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            children.add(new NewTask("part", "{\"i\":" + i + "}", TaskPriority.NORMAL));
        }
        return children;
    }

    @Test
    void aParentOfTenChildrenRunsOnceAfterTheLastChildWithEveryChildsResult() throws Exception {
        TaskQueue q = queue("acme", "flows");
        EnqueuedFlow flow = q.enqueueFlow(new NewFlow(new NewTask("join", "{\"order\":7}", TaskPriority.HIGH),
                parts(10)));
        assertEquals(10, flow.childIds().size());
        TaskInfo waiting = q.get(flow.parentId()).orElseThrow();
        assertEquals(TaskState.WAITING_CHILDREN, waiting.state());
        assertEquals(FlowFailurePolicy.FAIL_PARENT, waiting.flowPolicy());
        assertEquals(10, waiting.children().size());
        assertTrue(waiting.children().stream().noneMatch(FlowChild::isFinished), "no child has finished yet");
        assertEquals(flow.parentId(), q.get(flow.childIds().get(3)).orElseThrow().parentId());
        assertEquals(1, q.stats().waitingChildren());
        assertEquals(10, q.stats().pending(), "the children wait for workers; the parent is not pending");

        List<String> finishedChildren = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger parentRuns = new AtomicInteger();
        List<FlowChild> seen = Collections.synchronizedList(new ArrayList<>());
        track(q.startWorker(t -> {
            if (t.name().equals("join")) {
                parentRuns.incrementAndGet();
                for (String child : flow.childIds()) {
                    if (stateOf(q, child) != TaskState.SUCCEEDED) {
                        problems.add("the parent ran while child " + child + " was " + stateOf(q, child));
                    }
                }
                seen.addAll(t.children());
                return "{\"joined\":" + t.children().size() + "}";
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40));
            finishedChildren.add(t.id());
            String i = t.payload().replaceAll("\\D", "");
            return "{\"double\":" + Integer.parseInt(i) * 2 + "}";
        }, 4));
        await("the parent succeeded", () -> stateOf(q, flow.parentId()) == TaskState.SUCCEEDED);
        assertEquals(List.of(), problems);
        assertEquals(1, parentRuns.get(), "the parent ran once");
        assertEquals(10, finishedChildren.size());
        assertEquals(10, seen.size());
        for (int i = 0; i < 10; i++) {
            FlowChild c = seen.get(i);
            assertEquals(flow.childIds().get(i), c.id(), "the children in the order given");
            assertEquals("part", c.name());
            assertEquals(TaskState.SUCCEEDED, c.outcome());
            assertEquals("{\"double\":" + i * 2 + "}", c.result());
            assertNull(c.error());
        }
        TaskInfo done = q.get(flow.parentId()).orElseThrow();
        assertEquals("{\"joined\":10}", done.result());
        assertEquals(seen, done.children(), "the parent's record shows the same outcomes");
        for (String child : flow.childIds()) {
            assertTrue(!done.startedAt().isBefore(q.get(child).orElseThrow().finishedAt()),
                    "the parent started after child " + child + " finished");
        }
        assertEquals(0, q.stats().waitingChildren());
        assertEquals(11, q.stats().succeededTotal());
    }

    @Test
    void underFailParentADeadChildMakesTheParentDeadAndItNeverRuns() throws Exception {
        TaskQueue q = queue("acme", "flows");
        List<NewTask> children = new ArrayList<>(parts(2));
        children.add(new NewTask("doomed", "{}", TaskPriority.LOW, TaskOptions.defaults().withMaxAttempts(2)));
        EnqueuedFlow flow = q.enqueueFlow(new NewFlow(new NewTask("join", "{}", TaskPriority.NORMAL), children));
        AtomicInteger parentRuns = new AtomicInteger();
        track(q.startWorker(t -> {
            switch (t.name()) {
                case "join":
                    parentRuns.incrementAndGet();
                    return null;
                case "doomed":
                    throw new IllegalStateException("no stock");
                default:
                    return "{}";
            }
        }, 2));
        String doomed = flow.childIds().get(2);
        await("the parent is dead", () -> stateOf(q, flow.parentId()) == TaskState.DEAD);
        TaskInfo parent = q.get(flow.parentId()).orElseThrow();
        assertEquals("child " + doomed + " (doomed) is DEAD: IllegalStateException: no stock",
                parent.lastError());
        assertEquals(TaskState.DEAD, stateOf(q, doomed));
        assertEquals(2, q.get(doomed).orElseThrow().attempts(), "the child used its attempts first");
        await("the other children succeeded", () -> stateOf(q, flow.childIds().get(0)) == TaskState.SUCCEEDED
                && stateOf(q, flow.childIds().get(1)) == TaskState.SUCCEEDED);
        assertTrue(q.deadLetters(10).stream().anyMatch(t -> t.id().equals(flow.parentId())),
                "the parent is a dead letter");
        Thread.sleep(200);
        assertEquals(0, parentRuns.get(), "the parent never ran");
        assertEquals(0, q.stats().waitingChildren());
    }

    @Test
    void underRunParentTheParentRunsWithEveryOutcome() throws Exception {
        TaskQueue q = queue("acme", "flows");
        List<NewTask> children = List.of(new NewTask("part", "{\"i\":1}", TaskPriority.NORMAL),
                new NewTask("doomed", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(1)),
                new NewTask("later", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withDelay(Duration.ofHours(1))));
        EnqueuedFlow flow = q.enqueueFlow(new NewFlow(new NewTask("join", "{}", TaskPriority.NORMAL), children,
                FlowFailurePolicy.RUN_PARENT));
        assertEquals(TaskState.SCHEDULED, stateOf(q, flow.childIds().get(2)), "a child may have a delay");
        List<FlowChild> seen = new CopyOnWriteArrayList<>();
        track(q.startWorker(t -> {
            switch (t.name()) {
                case "join":
                    seen.addAll(t.children());
                    return null;
                case "doomed":
                    throw new PermanentTaskFailure("bad input");
                default:
                    return "{\"ok\":true}";
            }
        }, 2));
        await("two children finished", () -> stateOf(q, flow.childIds().get(0)) == TaskState.SUCCEEDED
                && stateOf(q, flow.childIds().get(1)) == TaskState.DEAD);
        assertEquals(TaskState.WAITING_CHILDREN, stateOf(q, flow.parentId()), "one child still to come");
        assertEquals(TaskState.CANCELLED, q.cancel(flow.childIds().get(2)).orElseThrow());
        await("the parent succeeded", () -> stateOf(q, flow.parentId()) == TaskState.SUCCEEDED);
        assertEquals(List.of(TaskState.SUCCEEDED, TaskState.DEAD, TaskState.CANCELLED),
                seen.stream().map(FlowChild::outcome).toList());
        assertEquals("{\"ok\":true}", seen.get(0).result());
        assertTrue(seen.get(1).error().contains("bad input"), seen.get(1).error());
        assertNull(seen.get(1).result());
        assertNull(seen.get(2).result());
        assertNull(seen.get(2).error());
    }

    @Test
    void aChildWhoseLeaseExpiresOnItsLastAttemptCountsAsDead() throws Exception {
        TaskQueue q = queue("acme", "flows");
        EnqueuedFlow flow = q.enqueueFlow(new NewFlow(new NewTask("join", "{}", TaskPriority.NORMAL),
                List.of(new NewTask("part", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(1)))));
        TaskLeases leases = leases(q);
        List<Task> claimed = leases.claim(10, Duration.ofMillis(50));
        assertEquals(List.of(flow.childIds().get(0)), claimed.stream().map(Task::id).toList(),
                "only the child can be claimed: the parent waits");
        Thread.sleep(120); // the lease expires: the worker "died"
        assertEquals(List.of(), leases.claim(10, Duration.ofSeconds(5)), "the expired child is dead, not retried");
        assertEquals(TaskState.DEAD, stateOf(q, flow.childIds().get(0)));
        TaskInfo parent = q.get(flow.parentId()).orElseThrow();
        assertEquals(TaskState.DEAD, parent.state());
        assertTrue(parent.lastError().startsWith("child " + flow.childIds().get(0) + " (part) is DEAD: lease expired"),
                parent.lastError());
    }

    @Test
    void cancellingAWaitingParentCancelsTheChildrenThatHaveNotStarted() throws Exception {
        TaskQueue q = queue("acme", "flows");
        List<NewTask> children = new ArrayList<>(parts(3));
        children.add(new NewTask("part", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withDelay(Duration.ofHours(1))));
        EnqueuedFlow flow = q.enqueueFlow(new NewFlow(new NewTask("join", "{}", TaskPriority.NORMAL), children));
        TaskLeases leases = leases(q);
        List<Task> running = leases.claim(1, Duration.ofSeconds(30));
        assertEquals(flow.childIds().get(0), running.get(0).id(), "FIFO: the first child runs");

        assertEquals(TaskState.CANCELLED, q.cancel(flow.parentId()).orElseThrow());
        assertEquals(TaskState.RUNNING, stateOf(q, flow.childIds().get(0)), "a running child finishes");
        for (String child : flow.childIds().subList(1, 4)) {
            assertEquals(TaskState.CANCELLED, stateOf(q, child), child);
        }
        QueueStats s = q.stats();
        assertEquals(0, s.pending());
        assertEquals(0, s.scheduled());
        assertEquals(0, s.waitingChildren());
        assertEquals(4, s.cancelledTotal());
        assertEquals(List.of(true), leases.ack(running, List.of("{}")));
        TaskInfo parent = q.get(flow.parentId()).orElseThrow();
        assertEquals(TaskState.CANCELLED, parent.state(), "a child finishing later leaves a cancelled parent alone");
        assertEquals(List.of(TaskState.SUCCEEDED, TaskState.CANCELLED, TaskState.CANCELLED, TaskState.CANCELLED),
                parent.children().stream().map(FlowChild::outcome).toList());
        assertEquals(TaskState.CANCELLED, q.cancel(flow.parentId()).orElseThrow(), "cancel is idempotent");
    }

    @Test
    void aFlowWithAnIdempotencyKeyIsEnqueuedOnce() {
        TaskQueue q = queue("acme", "flows");
        NewFlow flow = new NewFlow(new NewTask("join", "{}", TaskPriority.NORMAL,
                TaskOptions.defaults().withIdempotencyKey("order-7")), parts(3));
        EnqueuedFlow first = q.enqueueFlow(flow);
        EnqueuedFlow again = q.enqueueFlow(flow);
        assertEquals(first, again);
        assertEquals(3, q.stats().pending());
        assertEquals(1, q.stats().waitingChildren());
    }

    @Test
    void flowInputsAreChecked() {
        TaskQueue q = queue("acme", "flows");
        NewTask parent = new NewTask("join", "{}", TaskPriority.NORMAL);
        assertEquals("a flow of 0 children: must have 1 to 1000",
                assertThrows(InvalidInputException.class, () -> q.enqueueFlow(new NewFlow(parent, List.of())))
                        .getMessage());
        assertThrows(InvalidInputException.class, () -> q.enqueueFlow(new NewFlow(parent, parts(1001))));
        NewTask delayed = new NewTask("join", "{}", TaskPriority.NORMAL,
                TaskOptions.defaults().withDelay(Duration.ofMinutes(1)));
        assertTrue(assertThrows(InvalidInputException.class, () -> q.enqueueFlow(new NewFlow(delayed, parts(1))))
                .getMessage().contains("no delay"));
        NewTask keyed = new NewTask("part", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withIdempotencyKey("k"));
        assertTrue(assertThrows(InvalidInputException.class,
                () -> q.enqueueFlow(new NewFlow(parent, List.of(keyed)))).getMessage().contains("only the parent"));
        assertThrows(InvalidInputException.class, () -> q.enqueueFlow(new NewFlow(parent,
                List.of(new NewTask("bad name!", "{}", TaskPriority.NORMAL)))));
        List<NewTask> heavy = new ArrayList<>();
        String big = "\"" + "x".repeat(1_000_000) + "\"";
        for (int i = 0; i < 17; i++) {
            heavy.add(new NewTask("part", big, TaskPriority.NORMAL));
        }
        assertTrue(assertThrows(InvalidInputException.class, () -> q.enqueueFlow(new NewFlow(parent, heavy)))
                .getMessage().contains("payloads add up to more than 16777216 bytes"));
        assertEquals(0, q.stats().pending(), "nothing was enqueued");
    }
}
