package io.mcpcrew.crew.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.tasks.TaskCompletion.Outcome;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The TaskQueue contract on what a caller hears of a task: completion notices of the node that finished it,
 * waiting for a result ({@link TaskQueue#await}: no thread per waiter, one poller), progress while it runs, and the
 * completion stream. Run on every topology with the rest of {@link TaskRoutingContract} by the subclasses of
 * {@link TaskFlowContract}.
 */
abstract class TaskCompletionContract extends TaskRoutingContract {

    /** A listener that keeps every notice, and whether Redis held the outcome when it heard of it. */
    static final class Notices implements Consumer<TaskCompletion> {
        final List<TaskCompletion> heard = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        private final TaskQueue q;

        Notices(TaskQueue q) {
            this.q = q;
        }

        @Override
        public void accept(TaskCompletion c) {
            if (Thread.currentThread().getName().contains("dispatcher")) {
                problems.add(c + " heard on the dispatcher thread " + Thread.currentThread().getName());
            }
            if (c.outcome().isFinal()) {
                TaskState stored = stateOf(q, c.id());
                if (!stored.name().equals(c.outcome().name())) {
                    problems.add(c + " heard while Redis held " + stored);
                }
            }
            heard.add(c);
        }

        List<String> of(String id) {
            List<String> out = new ArrayList<>();
            for (TaskCompletion c : heard) {
                if (c.id().equals(id)) {
                    out.add(c.outcome() + "#" + c.attempt());
                }
            }
            return out;
        }
    }

    @Test
    void aListenerHearsOfEachOutcomeOnceAfterRedisStoredIt() throws Exception {
        TaskQueue q = queue("acme", "notices");
        Notices notices = new Notices(q);
        queues.addCompletionListener(notices);
        String ok = q.enqueue("ok", "{\"n\":1}", TaskPriority.NORMAL);
        String flaky = q.enqueue("flaky", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(3));
        String doomed = q.enqueue("doomed", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(1));
        String slow = q.enqueue("slow", "{}", TaskPriority.NORMAL,
                TaskOptions.defaults().withMaxAttempts(2).withTimeout(Duration.ofMillis(100)));
        TaskWorker w = track(q.startWorker(t -> {
            switch (t.name()) {
                case "flaky":
                    if (t.attempt() == 1) {
                        throw new IllegalStateException("flaky on attempt 1");
                    }
                    return "\"second time\"";
                case "doomed":
                    throw new IllegalStateException("doomed from the start");
                case "slow":
                    Thread.sleep(60_000);
                    return null;
                default:
                    return t.payload();
            }
        }, 4));
        await("six outcomes heard", () -> notices.heard.size() >= 6);
        // one more task, heard after the others were handed on: a duplicate of any of them would be heard by now
        String last = q.enqueue("ok", "2", TaskPriority.LOW);
        await("the last task heard", () -> !notices.of(last).isEmpty());
        assertEquals(List.of(), notices.problems);
        assertEquals(List.of("SUCCEEDED#1"), notices.of(ok));
        assertEquals(List.of("FAILED_WILL_RETRY#1", "SUCCEEDED#2"), notices.of(flaky));
        assertEquals(List.of("DEAD#1"), notices.of(doomed));
        assertEquals(List.of("FAILED_WILL_RETRY#1", "DEAD#2"), notices.of(slow), "timeouts are failed attempts too");
        assertEquals(List.of("SUCCEEDED#1"), notices.of(last));
        assertEquals(7, notices.heard.size(), "each outcome exactly once: " + notices.heard);

        TaskCompletion okNotice = notices.heard.stream().filter(c -> c.id().equals(ok)).findFirst().orElseThrow();
        assertEquals(new TaskCompletion("acme", "notices", ok, "ok", Outcome.SUCCEEDED, 1, "{\"n\":1}", null,
                okNotice.finishedAt()), okNotice);
        TaskInfo okInfo = q.get(ok).orElseThrow();
        assertTrue(Math.abs(okNotice.finishedAt().toEpochMilli() - okInfo.finishedAt().toEpochMilli()) < 1000,
                okNotice + " vs " + okInfo.finishedAt());
        TaskCompletion dead = notices.heard.stream().filter(c -> c.id().equals(doomed)).findFirst().orElseThrow();
        assertEquals("IllegalStateException: doomed from the start", dead.error());
        assertNull(dead.result());
        TaskCompletion timedOut = notices.heard.stream().filter(c -> c.id().equals(slow)).findFirst().orElseThrow();
        assertTrue(timedOut.error().contains("timed out after 100 ms"), timedOut.error());
        assertEquals(4, w.failed(), "flaky once, doomed once, slow twice");

        queues.removeCompletionListener(notices);
        Notices other = new Notices(q);
        queues.addCompletionListener(other);
        String after = q.enqueue("ok", "3", TaskPriority.NORMAL);
        await("the other listener heard it", () -> !other.of(after).isEmpty());
        assertEquals(List.of(), notices.of(after), "a removed listener hears nothing more");
        boolean stream = redis.execute(j -> j.exists(((RedisTaskQueue) q).keys().completions));
        assertFalse(stream, "the completion stream is off by default");
    }

    @Test
    void awaitAnswersWhenTheTaskFinishesOrAtTheTimeoutWhateverItsState() throws Exception {
        TaskQueue q = queue("acme", "await");
        q.pause();
        String waiting = q.enqueue("ok", "1", TaskPriority.NORMAL);
        long t0 = System.nanoTime();
        TaskInfo atTimeout = q.await(waiting, Duration.ofMillis(300)).orElseThrow();
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300), "not before the timeout");
        assertEquals(TaskState.PENDING, atTimeout.state(), "at the timeout the task as it is");
        assertEquals(Optional.empty(), q.await("0123456789abcdef0123456789abcdef", Duration.ofSeconds(30)),
                "no such task: empty at once");
        assertEquals(TaskState.PENDING, q.await(waiting, Duration.ZERO).orElseThrow().state(), "zero: read now");
        InvalidInputException negative = assertThrows(InvalidInputException.class,
                () -> q.awaitAsync(waiting, Duration.ofSeconds(-1)));
        assertTrue(negative.getMessage().contains("must be from 0 to 24 hours"), negative.getMessage());
        assertThrows(InvalidInputException.class, () -> q.awaitAsync(waiting, Duration.ofHours(25)));
        assertThrows(InvalidInputException.class, () -> q.awaitAsync("../x", Duration.ofSeconds(1)));

        String cancelled = q.enqueue("ok", "2", TaskPriority.NORMAL);
        CompletableFuture<Optional<TaskInfo>> onCancel = q.awaitAsync(cancelled, Duration.ofSeconds(60))
                .toCompletableFuture();
        CompletableFuture<Optional<TaskInfo>> onSuccess = q.awaitAsync(waiting, Duration.ofSeconds(60))
                .toCompletableFuture();
        String flaky = q.enqueue("flaky", "3", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(2));
        String doomed = q.enqueue("doomed", "4", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(1));
        CompletableFuture<Optional<TaskInfo>> onRetry = q.awaitAsync(flaky, Duration.ofSeconds(60))
                .toCompletableFuture();
        CompletableFuture<Optional<TaskInfo>> onDead = q.awaitAsync(doomed, Duration.ofSeconds(60))
                .toCompletableFuture();
        assertFalse(onSuccess.isDone() || onCancel.isDone() || onRetry.isDone() || onDead.isDone());
        assertEquals(Optional.of(TaskState.CANCELLED), q.cancel(cancelled));
        assertEquals(TaskState.CANCELLED, onCancel.get(60, TimeUnit.SECONDS).orElseThrow().state());
        q.resume();
        track(q.startWorker(t -> {
            if (t.name().equals("doomed") || t.name().equals("flaky") && t.attempt() == 1) {
                throw new IllegalStateException(t.name() + " failed attempt " + t.attempt());
            }
            return "\"done " + t.payload() + "\"";
        }, 2));
        TaskInfo succeeded = onSuccess.get(60, TimeUnit.SECONDS).orElseThrow();
        assertEquals(TaskState.SUCCEEDED, succeeded.state());
        assertEquals("\"done 1\"", succeeded.result());
        TaskInfo retried = onRetry.get(60, TimeUnit.SECONDS).orElseThrow();
        assertEquals(TaskState.SUCCEEDED, retried.state(), "a failed attempt with attempts left does not end the wait");
        assertEquals(2, retried.attempts());
        assertEquals(TaskState.DEAD, onDead.get(60, TimeUnit.SECONDS).orElseThrow().state());
        assertEquals(TaskState.SUCCEEDED, q.await(waiting, Duration.ofSeconds(30)).orElseThrow().state(),
                "a finished task answers at once");
        await("nobody waits any more", () -> queues.waiters().size() == 0);
    }

    /** The poll is ten minutes away: only the worker that finished the task on this node can have answered. */
    @Test
    void aWorkerOfThisNodeAnswersItsWaitersAtOnce() throws Exception {
        open(Map.of("redis.crew.tasks.await-poll-interval", "10m"));
        TaskQueue q = queue("acme", "local");
        q.pause();
        String id = q.enqueue("ok", "1", TaskPriority.NORMAL);
        CompletableFuture<Optional<TaskInfo>> f = q.awaitAsync(id, Duration.ofMinutes(5)).toCompletableFuture();
        q.resume();
        track(q.startWorker(Task::payload, 1));
        TaskInfo done = f.get(60, TimeUnit.SECONDS).orElseThrow();
        assertEquals(TaskState.SUCCEEDED, done.state());
        assertEquals("1", done.result());
    }

    @Test
    void aWaiterOnOneNodeHearsOfATaskRunOnAnother() throws Exception {
        TaskQueue onA = queue("acme", "spread");
        String id = onA.enqueue("ok", "\"from A\"", TaskPriority.NORMAL);
        CompletableFuture<Optional<TaskInfo>> f = onA.awaitAsync(id, Duration.ofSeconds(60)).toCompletableFuture();
        TaskQueue onB = anotherNode().forTenant("acme").queue("spread");
        track(onB.startWorker(Task::payload, 1));
        TaskInfo done = f.get(60, TimeUnit.SECONDS).orElseThrow();
        assertEquals(TaskState.SUCCEEDED, done.state());
        assertEquals("\"from A\"", done.result());
    }

    /**
     * 500 callers wait at once on node A for tasks node B runs: no thread per waiter (A's thread count barely moves),
     * and A reads them all with one script per poll (500 tasks fit one), never more polls than the time allows.
     */
    @Test
    void fiveHundredWaitersShareOnePoller() throws Exception {
        TaskQueue q = queue("acme", "many");
        q.pause();
        List<NewTask> tasks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            tasks.add(new NewTask("ok", Integer.toString(i), TaskPriority.NORMAL));
        }
        List<String> ids = q.enqueueAll(tasks);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long pollsBefore = redis.evals(RedisTaskQueues.STATES);
        long t0 = System.nanoTime();
        List<CompletableFuture<Optional<TaskInfo>>> waits = new ArrayList<>();
        for (String id : ids) {
            waits.add(q.awaitAsync(id, Duration.ofSeconds(60)).toCompletableFuture());
        }
        assertEquals(500, queues.waiters().size());
        int threadsWaiting = ManagementFactory.getThreadMXBean().getThreadCount();
        assertTrue(threadsWaiting - threadsBefore <= 3, "500 waiters took " + (threadsWaiting - threadsBefore)
                + " threads");
        RedisTaskQueues b = anotherNode();
        b.forTenant("acme").queue("many").resume();
        track(b.forTenant("acme").queue("many").startWorker(Task::payload, 20));
        CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long polls = redis.evals(RedisTaskQueues.STATES) - pollsBefore;
        for (int i = 0; i < 500; i++) {
            TaskInfo t = waits.get(i).get().orElseThrow();
            assertEquals(TaskState.SUCCEEDED, t.state(), t.toString());
            assertEquals(Integer.toString(i), t.result());
        }
        long pollMillis = queues.config().awaitPollInterval().toMillis();
        assertTrue(polls >= 1 && polls <= elapsedMillis / pollMillis + 1, polls + " reads of the waited tasks in "
                + elapsedMillis + " ms: at most one script per " + pollMillis + " ms poll");
        assertEquals(0, queues.waiters().size());
    }

    @Test
    void progressIsVisibleWhileTheTaskRunsAndBadValuesAreRefused() throws Exception {
        TaskQueue q = queue("acme", "progress");
        String id = q.enqueue("long", "{}", TaskPriority.NORMAL);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> refused = new AtomicReference<>("");
        track(q.startWorker(t -> {
            try {
                t.progress(101, "too far");
            } catch (InvalidInputException e) {
                refused.set(e.getMessage());
            }
            try {
                t.progress(5, "x".repeat(TaskProgress.MAX_MESSAGE_LENGTH + 1));
            } catch (InvalidInputException e) {
                refused.set(refused.get() + " | " + e.getMessage());
            }
            t.progress(40, "resized 4 of 10");
            release.await();
            return null;
        }, 1));
        await("the progress is visible while it runs", () -> q.get(id).map(TaskInfo::progress)
                .map(p -> p.percent() == 40).orElse(false));
        TaskInfo running = q.get(id).orElseThrow();
        assertEquals(TaskState.RUNNING, running.state());
        assertEquals("resized 4 of 10", running.progress().message());
        assertFalse(running.progress().at().isBefore(running.startedAt()), running.toString());
        assertTrue(refused.get().contains("must be a percent from 0 to 100"), refused.get());
        assertTrue(refused.get().contains("must be at most 1000"), refused.get());
        CompletableFuture<Optional<TaskInfo>> f = q.awaitAsync(id, Duration.ofSeconds(60)).toCompletableFuture();
        assertFalse(f.isDone());
        release.countDown();
        TaskInfo done = f.get(60, TimeUnit.SECONDS).orElseThrow();
        assertEquals(TaskState.SUCCEEDED, done.state());
        assertEquals(40, done.progress().percent(), "the waiter sees the last progress written");
    }

    /**
     * A handler reports 2,000 times as fast as it can: the pool writes at most once per progress interval (200 ms
     * here), counted at the manager, and the latest value still arrives.
     */
    @Test
    void aChattyHandlerCostsAtMostOneWritePerInterval() throws Exception {
        open(Map.of("redis.crew.tasks.progress-interval", "200ms"));
        TaskQueue q = queue("acme", "chatty");
        String id = q.enqueue("chatty", "{}", TaskPriority.NORMAL);
        CountDownLatch release = new CountDownLatch(1);
        long writesBefore = redis.evals(RedisTaskQueues.PROGRESS);
        long t0 = System.nanoTime();
        track(q.startWorker(t -> {
            for (int i = 0; i < 2000; i++) {
                t.progress(i % 100, "step " + i);
                if (i % 10 == 0) {
                    Thread.sleep(1);
                }
            }
            t.progress(100, "all steps");
            release.await();
            return null;
        }, 1));
        await("the latest progress is written", () -> q.get(id).map(TaskInfo::progress)
                .map(p -> p.percent() == 100 && "all steps".equals(p.message())).orElse(false));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long writes = redis.evals(RedisTaskQueues.PROGRESS) - writesBefore;
        release.countDown();
        assertTrue(writes >= 1 && writes <= elapsedMillis / 200 + 1, writes + " progress writes in " + elapsedMillis
                + " ms for 2,001 reports: at most one per 200 ms");
    }

    @Test
    void aHandWrittenWorkerReportsProgressWhileItHoldsTheLease() throws Exception {
        TaskQueue q = queue("acme", "manual");
        String id = q.enqueue("job", "{}", TaskPriority.NORMAL);
        TaskLeases l = leases(q);
        Task t = l.claim(1, Duration.ofSeconds(30)).get(0);
        assertTrue(l.progress(t, 10, "started"));
        assertEquals(new TaskProgress(10, "started", q.get(id).orElseThrow().progress().at()),
                q.get(id).orElseThrow().progress());
        t.progress(20, null); // a task claimed by hand writes through its leases
        TaskProgress twenty = q.get(id).orElseThrow().progress();
        assertEquals(20, twenty.percent());
        assertNull(twenty.message());
        assertEquals(1, l.release(List.of(t)));
        Thread.sleep(5);
        Task again = l.claim(1, Duration.ofSeconds(30)).get(0);
        assertNull(q.get(id).orElseThrow().progress(), "the progress of an earlier attempt is not shown");
        assertFalse(l.progress(t, 30, "late"), "the old claim's lease is gone");
        assertEquals(List.of(true), l.ack(List.of(again), Collections.singletonList(null)));
        assertFalse(l.progress(again, 90, "after the end"), "a finished task takes no progress");
        assertNull(q.get(id).orElseThrow().progress());
    }

    @Test
    void theCompletionStreamHasAnEntryPerOutcomeAndProgressWhenOn() throws Exception {
        open(Map.of("redis.crew.tasks.completion-stream.enabled", "true",
                "redis.crew.tasks.completion-stream.max-length", "1000"));
        TaskQueue q = queue("acme", "stream");
        String ok = q.enqueue("ok", "1", TaskPriority.NORMAL);
        String flaky = q.enqueue("flaky", "2", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(2));
        String doomed = q.enqueue("doomed", "3", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(1));
        TaskWorker w = track(q.startWorker(t -> {
            t.progress(50, "half of " + t.name());
            long until = System.nanoTime() + DEADLINE.toNanos();
            while (!q.get(t.id()).map(i -> i.progress() != null).orElse(false) && System.nanoTime() < until) {
                Thread.sleep(5); // the progress is written before the attempt ends
            }
            if (t.name().equals("doomed") || t.name().equals("flaky") && t.attempt() == 1) {
                throw new IllegalStateException(t.name() + " failed");
            }
            return t.payload();
        }, 3));
        await("all finished", () -> stateOf(q, ok) == TaskState.SUCCEEDED && stateOf(q, flaky) == TaskState.SUCCEEDED
                && stateOf(q, doomed) == TaskState.DEAD);
        w.stop(Duration.ofSeconds(5));
        String stream = ((RedisTaskQueue) q).keys().completions;
        List<StreamEntry> entries = redis.execute(j -> j.xrange(stream, "-", "+"));
        Map<String, List<String>> byTask = new TreeMap<>();
        for (StreamEntry e : entries) {
            Map<String, String> f = e.getFields();
            String line = f.get("outcome") + "#" + f.get("attempts") + " " + f.get("name")
                    + (f.containsKey("progress") ? " " + f.get("progress") + " " + f.get("progressMessage") : "")
                    + (f.containsKey("error") ? " " + f.get("error") : "");
            byTask.computeIfAbsent(f.get("id"), k -> new ArrayList<>()).add(line);
        }
        Map<String, List<String>> expected = new TreeMap<>();
        expected.put(ok, List.of("PROGRESS#1 ok 50 half of ok", "SUCCEEDED#1 ok"));
        expected.put(flaky, List.of("PROGRESS#1 flaky 50 half of flaky",
                "FAILED_WILL_RETRY#1 flaky IllegalStateException: flaky failed",
                "PROGRESS#2 flaky 50 half of flaky", "SUCCEEDED#2 flaky"));
        expected.put(doomed, List.of("PROGRESS#1 doomed 50 half of doomed",
                "DEAD#1 doomed IllegalStateException: doomed failed"));
        assertEquals(expected, byTask);
        long ttl = pttl(stream);
        assertTrue(ttl > 0 && ttl <= redis.ttl(io.mcpcrew.crew.redis.DataType.TASK_RESULT).toMillis(), "ttl " + ttl);

        // a lease that runs out on the last attempt dead-letters at the next claim: an entry too
        String crashed = q.enqueue("crash", "{}", TaskPriority.NORMAL, TaskOptions.defaults().withMaxAttempts(1));
        assertEquals(1, leases(q).claim(1, Duration.ofMillis(1)).size());
        Thread.sleep(5);
        leases(q).claim(1, Duration.ofSeconds(30));
        StreamEntry lastEntry = redis.execute(j -> j.xrevrange(stream, "+", "-", 1)).get(0);
        assertEquals(crashed, lastEntry.getFields().get("id"));
        assertEquals("DEAD", lastEntry.getFields().get("outcome"));
        assertTrue(lastEntry.getFields().get("error").startsWith("lease expired"), lastEntry.getFields().toString());
    }

    @Test
    void theCompletionStreamIsTrimmedToAboutItsMaxLength() {
        open(Map.of("redis.crew.tasks.completion-stream.enabled", "true",
                "redis.crew.tasks.completion-stream.max-length", "10"));
        TaskQueue q = queue("acme", "trimmed");
        List<NewTask> tasks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            tasks.add(new NewTask("ok", "{}", TaskPriority.NORMAL));
        }
        q.enqueueAll(tasks);
        TaskLeases l = leases(q);
        List<Task> claimed = l.claim(300, Duration.ofSeconds(30));
        assertEquals(300, claimed.size());
        List<String> none = new ArrayList<>(Collections.nCopies(300, (String) null));
        assertEquals(300, l.ack(claimed, none).stream().filter(b -> b).count());
        long len = redis.execute(j -> j.xlen(((RedisTaskQueue) q).keys().completions));
        // MAXLEN ~ trims whole nodes of the stream (100 entries each by default): about the max length, never all 300
        assertTrue(len >= 10 && len <= 10 + 100, "stream length " + len);
        Map<String, Integer> outcomes = new HashMap<>();
        for (StreamEntry e : redis.execute(j -> j.xrange(((RedisTaskQueue) q).keys().completions, "-", "+"))) {
            outcomes.merge(e.getFields().get("outcome"), 1, Integer::sum);
        }
        assertEquals(Map.of("SUCCEEDED", (int) len), outcomes);
    }
}
