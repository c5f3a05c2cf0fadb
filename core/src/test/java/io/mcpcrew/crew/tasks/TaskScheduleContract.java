package io.mcpcrew.crew.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The recurring-task contract on a real Redis (standalone {@link TaskScheduleIT}, Cluster
 * {@link TaskScheduleClusterIT}): schedules are created, read, paused, resumed and deleted; two nodes running
 * {@link ScheduleRunner}s fire each tick of a one-second schedule exactly once, across a restart of one node;
 * missed ticks are coalesced into one run, late ones within the catch-up window each run; a fire whose read is
 * stale changes nothing.
 */
abstract class TaskScheduleContract {
    static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Connection settings of the topology under test. */
    abstract Map<String, String> connection();

    /** Empties the Redis under test. */
    abstract void flush();

    private final List<Node> nodes = new ArrayList<>();
    private final List<TaskWorker> workers = new ArrayList<>();
    /** The first node. */
    Node a;
    /** What the test reads and writes Redis with: never closed before the test ends. */
    JedisRedisManager observer;

    /** A node of the deployment: its own manager, task queues and schedule runner on the same Redis. */
    final class Node {
        final JedisRedisManager redis;
        final RedisTaskQueues queues;
        final ScheduleRunner runner;
        final AtomicInteger fired = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private ScheduledExecutorService loop;
        private boolean closed;

        Node(Map<String, String> settings) {
            redis = new JedisRedisManager(RedisCrewConfig.load(settings), null);
            queues = new RedisTaskQueues(redis);
            runner = new ScheduleRunner(queues);
        }

        /** Runs {@link ScheduleRunner#runDue()} every {@code periodMillis}, as the server's timer does. */
        Node startLoop(long periodMillis) {
            loop = Executors.newSingleThreadScheduledExecutor();
            loop.scheduleWithFixedDelay(() -> {
                try {
                    fired.addAndGet(runner.runDue());
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, 0, periodMillis, TimeUnit.MILLISECONDS);
            return this;
        }

        void close() throws InterruptedException {
            if (closed) {
                return;
            }
            closed = true;
            if (loop != null) {
                loop.shutdown();
                assertTrue(loop.awaitTermination(30, TimeUnit.SECONDS), "the runner loop stopped");
                loop = null;
            }
            redis.close();
            if (failure.get() != null) {
                throw new AssertionError("a runner pass failed", failure.get());
            }
        }
    }

    Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> cfg = new HashMap<>(connection());
        cfg.put("redis.crew.tasks.poll-interval", "20ms");
        cfg.putAll(extra);
        return cfg;
    }

    Node node(Map<String, String> extra) {
        Node n = new Node(settings(extra));
        nodes.add(n);
        return n;
    }

    void open(Map<String, String> extra) {
        flush();
        a = node(extra);
        observer = node(extra).redis;
    }

    TaskQueue queue(String tenant, String name) {
        if (a == null) {
            open(Map.of());
        }
        return a.queues.forTenant(tenant).queue(name);
    }

    @AfterEach
    void closeAll() throws InterruptedException {
        workers.forEach(w -> w.stop(Duration.ofSeconds(5)));
        for (Node n : nodes) {
            n.close();
        }
    }

    /** Waits for {@code condition}; fails at once when a runner pass of a node failed. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            for (Node n : nodes) {
                if (n.failure.get() != null) {
                    throw new AssertionError("a runner pass failed", n.failure.get());
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    TaskKeys keys(TaskQueue q) {
        return ((RedisTaskQueue) q).keys();
    }

    /** The ids in the pending list of {@code taskName} (NORMAL), oldest first. */
    List<String> pending(TaskQueue q, String taskName) {
        String list = keys(q).pendingPrefix + "normal:" + taskName;
        return observer.execute(j -> j.lrange(list, 0, -1));
    }

    long dueScore(TaskQueue q, String schedule) {
        Double d = observer.execute(j -> j.zscore(keys(q).scheduleDue, schedule));
        return d == null ? -1 : d.longValue();
    }

    void setDue(TaskQueue q, String schedule, long tick) {
        observer.execute(j -> j.zadd(keys(q).scheduleDue, tick, schedule));
    }

    /** The ticks of ids {@code s.<schedule>.<tick>}, checking each id has that form. */
    static List<Long> ticksOf(String schedule, List<String> ids) {
        List<Long> ticks = new ArrayList<>();
        for (String id : ids) {
            assertTrue(id.startsWith("s." + schedule + "."), id);
            ticks.add(Long.parseLong(id.substring(schedule.length() + 3)));
        }
        return ticks;
    }

    @Test
    void schedulesAreCreatedReadPausedResumedAndDeleted() throws Exception {
        TaskQueue q = queue("acme", "reports");
        TaskSchedules s = q.schedules();
        long before = System.currentTimeMillis();
        ScheduleSpec nightly = ScheduleSpec.cron("nightly", "build-report", "30 2 * * *")
                .withZone(ZoneId.of("Europe/Berlin")).withPayload("{\"kind\":\"daily\"}").withPriority(TaskPriority.HIGH);
        TaskSchedule created = s.put(nightly);
        assertEquals(nightly, created.spec());
        assertFalse(created.paused());
        assertEquals(nightly.nextTickAfter(Instant.ofEpochMilli(before)), created.nextRunAt());
        assertNull(created.lastFiredAt());
        assertEquals(created, s.get("nightly").orElseThrow());
        assertTrue(a.queues.scheduledQueues().contains(q), "the queue is in the registry of queues with schedules");
        assertTrue(a.queues.registeredQueues().contains(q), "and in the queue registry: the workers serve it");

        // the same spec again changes nothing, also a next tick that is due (not recomputed from now)
        setDue(q, "nightly", 1_000);
        assertEquals(Instant.ofEpochMilli(1_000), s.put(nightly).nextRunAt());
        ScheduleSpec beat = ScheduleSpec.every("beat", "ping", Duration.ofHours(1));
        s.put(beat);
        assertEquals(List.of("beat", "nightly"), s.list().stream().map(TaskSchedule::name).toList());

        assertTrue(s.pause("nightly"));
        assertTrue(s.pause("nightly"), "pause is idempotent");
        TaskSchedule paused = s.get("nightly").orElseThrow();
        assertTrue(paused.paused());
        assertNull(paused.nextRunAt());
        assertEquals(0, a.runner.runDue(), "a paused schedule does not fire, although its old tick was due");
        ScheduleSpec weekly = nightly.withPayload("{\"kind\":\"weekly\"}");
        assertTrue(s.put(weekly).paused(), "a replaced schedule keeps its pause");
        assertTrue(s.resume("nightly"));
        TaskSchedule resumed = s.get("nightly").orElseThrow();
        assertFalse(resumed.paused());
        assertEquals(weekly, resumed.spec());
        assertTrue(resumed.nextRunAt().toEpochMilli() > System.currentTimeMillis() - 1000, "from now on: " + resumed);
        assertTrue(s.resume("nightly"), "resuming an active schedule leaves it");
        assertEquals(resumed.nextRunAt(), s.get("nightly").orElseThrow().nextRunAt());

        assertTrue(s.delete("nightly"));
        assertFalse(s.delete("nightly"));
        assertTrue(s.get("nightly").isEmpty());
        assertFalse(s.pause("nightly"));
        assertFalse(s.resume("nightly"));
        assertTrue(s.delete("beat"));
        assertEquals(List.of(), s.list());
        assertEquals(0, a.runner.runDue());
        assertFalse(a.queues.scheduledQueues().contains(q), "a runner drops a queue without schedules from the registry");

        int max = a.queues.config().maxPayloadBytes();
        InvalidInputException tooBig = assertThrows(InvalidInputException.class,
                () -> s.put(beat.withPayload("\"" + "x".repeat(max) + "\"")));
        assertTrue(tooBig.getMessage().contains("max-payload-bytes"), tooBig.getMessage());
        assertThrows(InvalidInputException.class, () -> s.get("bad name"));
    }

    @Test
    void aFiredTickIsATaskTheWorkersRun() throws Exception {
        TaskQueue q = queue("acme", "beats");
        TaskSchedule s = q.schedules().put(ScheduleSpec.every("beat", "echo", Duration.ofSeconds(1))
                .withPayload("{\"hello\":\"world\"}").withPriority(TaskPriority.LOW));
        track(q.startWorker(Task::payload, 2));
        a.startLoop(100);
        String id = TaskSchedule.taskId("beat", s.nextRunAt());
        await("the first tick's task ran", () -> q.get(id).map(t -> t.state() == TaskState.SUCCEEDED).orElse(false));
        TaskInfo t = q.get(id).orElseThrow();
        assertEquals("echo", t.name());
        assertEquals(TaskPriority.LOW, t.priority());
        assertEquals("{\"hello\":\"world\"}", t.result());
        assertEquals(a.queues.config().maxAttempts(), t.maxAttempts());
        await("a later tick fired", () -> q.schedules().get("beat").orElseThrow().lastFiredAt().isAfter(s.nextRunAt()));
    }

    TaskWorker track(TaskWorker w) {
        workers.add(w);
        return w;
    }

    /**
     * Two nodes run a one-second schedule, each passing every 100 ms (so they race for every tick); node A is closed
     * after a few ticks and a new node A started a few ticks later. The ticks fired form a gap-free run from the
     * first tick after the put to the tick before the one now due, one task each, and the runners together claimed
     * exactly that many ticks: none doubled, none skipped.
     */
    @Test
    void twoNodesFireEachTickOnceAcrossARestartOfOne() throws Exception {
        TaskQueue q = queue("acme", "clock");
        Node b = node(Map.of()).startLoop(100);
        a.startLoop(100);
        TaskSchedule put = q.schedules().put(ScheduleSpec.cron("tick", "beat", "* * * * * *"));
        long first = put.nextRunAt().toEpochMilli();
        await("3 ticks fired", () -> pending(q, "beat").size() >= 3);
        a.close();
        int firedByOldA = a.fired.get();
        await("6 ticks fired", () -> pending(q, "beat").size() >= 6);
        Node a2 = node(Map.of()).startLoop(100);
        await("12 ticks fired", () -> pending(q, "beat").size() >= 12);
        b.close();
        a2.close();

        List<String> ids = pending(q, "beat");
        List<Long> ticks = ticksOf("tick", ids);
        assertEquals(ids.size(), new HashSet<>(ids).size(), "no task twice: " + ids);
        assertEquals(first, ticks.get(0), "the first tick after the put fired first");
        for (int i = 1; i < ticks.size(); i++) {
            assertEquals(ticks.get(i - 1) + 1000, ticks.get(i), "gap-free, in order: " + ticks);
        }
        assertEquals(ticks.get(ticks.size() - 1) + 1000, dueScore(q, "tick"), "nothing skipped after the last");
        assertEquals(ticks.size(), firedByOldA + b.fired.get() + a2.fired.get(),
                "the runners claimed each tick once (A " + firedByOldA + ", B " + b.fired.get() + ", new A "
                        + a2.fired.get() + ")");
        TaskQueue view = new RedisTaskQueues(observer).forTenant("acme").queue("clock");
        assertEquals(ticks.size(), view.stats().pending());
        Map<String, String> record = view.get(ids.get(0)).map(t -> Map.of(
                "name", t.name(), "state", t.state().name(), "payload", t.payload())).orElseThrow();
        assertEquals(Map.of("name", "beat", "state", "PENDING", "payload", "null"), record);
    }

    /**
     * Every node was down for hours: the due tick is long past. One run (the due tick's id) stands for all the
     * missed ticks, and the schedule continues from its first tick after now; nothing more fires until then.
     */
    @Test
    void missedTicksAreCoalescedIntoOneRunThenTheScheduleContinuesFromNow() {
        TaskQueue q = queue("acme", "hourly");
        q.schedules().put(ScheduleSpec.every("hourly", "report", Duration.ofHours(1)));
        long hour = 3_600_000;
        long old = (System.currentTimeMillis() / hour - 5) * hour;
        setDue(q, "hourly", old);
        long before = System.currentTimeMillis();
        assertEquals(1, a.runner.runDue());
        long after = System.currentTimeMillis();
        assertEquals(List.of(TaskSchedule.taskId("hourly", old)), pending(q, "report"));
        long next = dueScore(q, "hourly");
        assertTrue(next > before - 1000 && next <= after + hour && next % hour == 0, "next " + Instant.ofEpochMilli(next));
        assertEquals(0, a.runner.runDue(), "nothing more until the next tick");
        TaskSchedule s = q.schedules().get("hourly").orElseThrow();
        assertEquals(Instant.ofEpochMilli(old), s.lastFiredAt());
        assertEquals(TaskSchedule.taskId("hourly", old), s.lastTaskId().orElseThrow());
    }

    /**
     * The runners paused for less than the catch-up window: each tick since runs, in order, with its own task, at most
     * ten per schedule and script, so a schedule 25 s behind catches up in three passes.
     */
    @Test
    void lateTicksWithinTheCatchUpWindowEachRun() {
        TaskQueue q = queue("acme", "late");
        q.schedules().put(ScheduleSpec.every("sec", "beat", Duration.ofSeconds(1)));
        long start = (System.currentTimeMillis() / 1000 - 25) * 1000;
        setDue(q, "sec", start);
        assertEquals(ScheduleRunner.MAX_CATCH_UP, a.runner.runDue());
        assertEquals(start + 10_000, dueScore(q, "sec"), "ten ticks fired, the eleventh due");
        assertEquals(ScheduleRunner.MAX_CATCH_UP, a.runner.runDue());
        int rest = 0;
        int last;
        do { // the remaining ticks up to now: five or six, more if this machine stalled meanwhile
            last = a.runner.runDue();
            rest += last;
        } while (last == ScheduleRunner.MAX_CATCH_UP);
        long now = System.currentTimeMillis();
        assertTrue(rest >= 5, "the remaining ticks up to now: " + rest);
        List<Long> ticks = ticksOf("sec", pending(q, "beat"));
        assertEquals(20 + rest, ticks.size());
        for (int i = 0; i < ticks.size(); i++) {
            assertEquals(start + i * 1000L, ticks.get(i), "every tick, in order: " + ticks);
        }
        long next = dueScore(q, "sec");
        assertEquals(ticks.get(ticks.size() - 1) + 1000, next);
        assertTrue(next > now - 2000, "caught up: next " + next + ", now " + now);
    }

    /** A fire whose read is stale (another runner fired, or the schedule was paused or replaced) changes nothing. */
    @Test
    void aFireWithAStaleReadChangesNothing() {
        TaskQueue q = queue("acme", "cas");
        RedisTaskSchedules s = (RedisTaskSchedules) q.schedules();
        ScheduleSpec spec = ScheduleSpec.every("m", "beat", Duration.ofMinutes(1));
        s.put(spec);
        long tick = (System.currentTimeMillis() / 60_000 - 1) * 60_000;
        setDue(q, "m", tick);
        RedisTaskSchedules.Due due = s.due(10).due().get(0);
        assertEquals(new RedisTaskSchedules.Due("m", tick, spec.format()), due);
        String taskSpec = new TaskSpec("beat", TaskPriority.NORMAL, 3, 1000, 2000, 0, tick, "").format();
        RedisTaskSchedules.Firing f = new RedisTaskSchedules.Firing(due, List.of(tick), tick + 60_000, taskSpec);
        assertEquals(List.of(1L), s.fire(List.of(f)));
        assertEquals(List.of(-1L), s.fire(List.of(f)), "the second runner with the same read loses");
        assertEquals(1, pending(q, "beat").size());

        setDue(q, "m", tick);  // due again at that tick, but paused, then replaced
        s.pause("m");
        assertEquals(List.of(-1L), s.fire(List.of(f)));
        s.resume("m");
        setDue(q, "m", tick);
        s.put(spec.withPayload("{\"v\":2}"));
        setDue(q, "m", tick);
        assertEquals(List.of(-1L), s.fire(List.of(f)), "the spec read was replaced");
        assertEquals(1, pending(q, "beat").size());

        // the id of a tick is enqueued at most once: a replay with the spec read now counts as fired, enqueues nothing
        RedisTaskSchedules.Due now = s.due(10).due().get(0);
        assertEquals(List.of(0L), s.fire(List.of(new RedisTaskSchedules.Firing(now, List.of(tick), tick + 60_000,
                taskSpec))));
        assertEquals(1, pending(q, "beat").size());
        assertEquals(tick + 60_000, dueScore(q, "m"));
    }
}
