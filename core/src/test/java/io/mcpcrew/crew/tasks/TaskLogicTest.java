package io.mcpcrew.crew.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.InvalidNameException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pure logic of the task queue: backoff, priorities, options, ids, configuration, keys, values, idle backoff. */
class TaskLogicTest {

    @Test
    void backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
        assertEquals(100, Backoff.ceilingMillis(100, 10_000, 1));
        assertEquals(200, Backoff.ceilingMillis(100, 10_000, 2));
        assertEquals(800, Backoff.ceilingMillis(100, 10_000, 4));
        assertEquals(10_000, Backoff.ceilingMillis(100, 10_000, 10));
        assertEquals(10_000, Backoff.ceilingMillis(100, 10_000, 1000), "no overflow");
        assertEquals(0, Backoff.ceilingMillis(0, 10_000, 3));
        boolean sawLow = false;
        boolean sawHigh = false;
        for (int i = 0; i < 2000; i++) {
            long d = Backoff.delayMillis(1000, 60_000, 3); // ceiling 4000
            assertTrue(d >= 2000 && d <= 4000, "delay " + d);
            sawLow |= d < 2500;
            sawHigh |= d > 3500;
        }
        assertTrue(sawLow && sawHigh, "jitter spreads delays over the upper half");
    }

    @Test
    void stackSummaryNamesTheExceptionAndItsFirstFrames() {
        Exception e = new IllegalStateException("boom", new java.io.IOException("disk"));
        String s = Backoff.stackSummary(e);
        assertTrue(s.startsWith("java.lang.IllegalStateException: boom\n\tat "), s);
        assertTrue(s.contains("caused by: java.io.IOException: disk"), s);
        assertTrue(s.length() <= 4000);
        assertEquals("IllegalStateException: boom", Backoff.errorMessage(e));
        assertEquals("java.lang.NullPointerException", Backoff.errorMessage(new NullPointerException()));
    }

    @Test
    void prioritiesOrderCriticalFirstAndParseCaseInsensitively() {
        assertEquals(0, TaskPriority.CRITICAL.rank());
        assertEquals(3, TaskPriority.LOW.rank());
        assertEquals(TaskPriority.HIGH, TaskPriority.parse("high"));
        assertEquals(TaskPriority.NORMAL, TaskPriority.parse(null));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TaskPriority.parse("urgent"));
        assertTrue(e.getMessage().contains("\"urgent\"") && e.getMessage().contains("CRITICAL, HIGH, NORMAL, LOW"));
    }

    @Test
    void optionsValidateAndComputeRunAt() {
        long now = 1_000_000;
        assertEquals(0, TaskOptions.defaults().runAtMillis(now));
        assertEquals(now + 5000, TaskOptions.defaults().withDelay(Duration.ofSeconds(5)).runAtMillis(now));
        assertEquals(0, TaskOptions.defaults().withRunAt(Instant.ofEpochMilli(now - 1)).runAtMillis(now));
        assertEquals(now + 1, TaskOptions.defaults().withRunAt(Instant.ofEpochMilli(now + 1)).runAtMillis(now));
        assertThrows(InvalidInputException.class, () -> TaskOptions.defaults().withBackoff(Duration.ofSeconds(2),
                Duration.ofSeconds(1)));
        assertThrows(InvalidInputException.class, () -> TaskOptions.defaults().withTimeout(Duration.ofMillis(-1)));
        assertThrows(InvalidNameException.class, () -> TaskOptions.defaults().withIdempotencyKey("a b"));
    }

    @Test
    void idsAreThirtyTwoHexDigits() {
        for (int i = 0; i < 100; i++) {
            String id = RedisTaskQueue.newId();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
        }
        assertThrows(InvalidInputException.class, () -> RedisTaskQueue.requireId("a:b"));
    }

    @Test
    void keysOfOneQueueShareItsHashTagAndTheRegistryIsOutsideEveryTenant() {
        TaskKeys k = new TaskKeys(io.mcpcrew.crew.tenancy.TenantKeys.of("crew", "t1"), "emails");
        assertEquals("crew:t1:tasks:{t1.emails}:pending:", k.pendingPrefix);
        assertEquals("crew:t1:tasks:{t1.emails}:names", k.names);
        assertEquals("crew:t1:tasks:{t1.emails}:served", k.served);
        assertEquals("crew:t1:tasks:{t1.emails}:pending:critical", k.legacyPending.get(0));
        assertEquals("crew:t1:tasks:{t1.emails}:pending:low", k.legacyPending.get(3));
        assertEquals("crew:t1:tasks:{t1.emails}:task:abc", k.task("abc"));
        assertEquals("crew:t1:tasks:{t1.emails}:idem:", k.idemPrefix);
        assertEquals("crew:t1:tasks:{t1.emails}:completions", k.completions);
        assertEquals(k.completions, k.claimKeys().get(11), "the claim script's KEYS[12]");
        for (String key : k.claimKeys()) {
            assertTrue(key.contains(":{t1.emails}:"), key);
        }
        assertEquals("crew:_sys:tasks:queues", TaskKeys.registryKey("crew"));
    }

    @Test
    void defaultsFileListsEveryTaskKeyWithTheValueTheCodeUses() throws Exception {
        java.util.Properties file = new java.util.Properties();
        try (java.io.InputStream in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            file.load(in);
        }
        Map<String, String> tasks = new java.util.HashMap<>();
        for (String k : file.stringPropertyNames()) {
            if (k.startsWith("redis.crew.tasks.")) {
                tasks.put(k, file.getProperty(k));
            }
        }
        assertEquals(20, tasks.size(), tasks.toString());
        TaskQueueConfig fromFile = TaskQueueConfig.load(ConfigSource.of(tasks));
        TaskQueueConfig code = TaskQueueConfig.load(ConfigSource.of(Map.of()));
        assertEquals(code.lease(), fromFile.lease());
        assertEquals(code.maxAttempts(), fromFile.maxAttempts());
        assertEquals(code.backoffBase(), fromFile.backoffBase());
        assertEquals(code.backoffCap(), fromFile.backoffCap());
        assertEquals(code.maxPayloadBytes(), fromFile.maxPayloadBytes());
        assertEquals(code.bufferCapacity(), fromFile.bufferCapacity());
        assertEquals(code.claimBatch(), fromFile.claimBatch());
        assertEquals(code.pollInterval(), fromFile.pollInterval());
        assertEquals(code.workersEnabled(), fromFile.workersEnabled());
        assertEquals(code.workersConcurrency(), fromFile.workersConcurrency());
        assertEquals(code.workersTenantMaxShare(), fromFile.workersTenantMaxShare());
        assertEquals(code.demoHandlersEnabled(), fromFile.demoHandlersEnabled());
        assertEquals(code.shutdownGrace(), fromFile.shutdownGrace());
        assertEquals(code.queueRefresh(), fromFile.queueRefresh());
        assertEquals(code.progressInterval(), fromFile.progressInterval());
        assertEquals(code.awaitPollInterval(), fromFile.awaitPollInterval());
        assertEquals(code.completionStreamEnabled(), fromFile.completionStreamEnabled());
        assertEquals(code.completionStreamMaxLength(), fromFile.completionStreamMaxLength());
        assertEquals(code.schedulesEnabled(), fromFile.schedulesEnabled());
        assertEquals(code.schedulesInterval(), fromFile.schedulesInterval());
        assertEquals(code.schedulesCatchUpWindow(), fromFile.schedulesCatchUpWindow());
    }

    @Test
    void specPacksTheFixedFieldsAndParsesBack() {
        TaskSpec s = TaskSpec.parse(new TaskSpec("send-mail", TaskPriority.HIGH, 5, 1000, 60000, 0, 1234, "k-1").format());
        assertEquals("send-mail", s.name());
        assertEquals(TaskPriority.HIGH, s.priority());
        assertEquals(5, s.maxAttempts());
        assertEquals(60000, s.backoffCapMillis());
        assertEquals(1234, s.createdAtMillis());
        assertEquals("k-1", s.idempotencyKey());
        assertEquals("", TaskSpec.parse("a|LOW|1|0|0|0|1|").idempotencyKey());
    }

    @Test
    void valueTypesAreRecordsThatKeepTheirRules() {
        NewTask t = new NewTask("job", "{}", TaskPriority.LOW, null);
        assertEquals(TaskOptions.defaults(), t.options(), "no options: the queue's defaults");
        assertEquals(new NewTask("job", "{}", TaskPriority.LOW), t);
        assertThrows(NullPointerException.class, () -> new NewTask("job", "{}", null));
        assertEquals("", new TaskSpec("a", TaskPriority.LOW, 1, 0, 0, 0, 1, null).idempotencyKey());

        java.util.List<Boolean> acked = new java.util.ArrayList<>(List.of(true));
        ClaimBatch b = new ClaimBatch(acked, List.of());
        acked.add(false);
        assertEquals(List.of(true), b.acked(), "a copy");
        assertThrows(UnsupportedOperationException.class, () -> b.claimed().add(null));

        Map<TaskPriority, Long> byPriority = Map.of(TaskPriority.CRITICAL, 1L, TaskPriority.HIGH, 0L,
                TaskPriority.NORMAL, 2L, TaskPriority.LOW, 0L);
        // scheduled, retry, running, dead, pending per priority, paused, 5 counters, "*" served at, waiting flow
        // parents, then per name
        List<Object> reply = List.of(4L, 5L, 6L, 7L, 1L, 0L, 2L, 0L, 1L, 11L, 12L, 13L, 14L, 15L, -1L, 3L,
                "mail", 2L, 1_000L, 1_240L, "resize", 1L, 1_200L, 200L, "zip", 0L, -1L, -1L);
        QueueStats s = QueueStats.fromReply("t1", "q", reply, 1_250, 20);
        assertEquals(new QueueStats("t1", "q", 3, 4, 5, 6, 7, byPriority, 250, true, 11, 12, 13, 14, 15, 1, 50,
                List.of(new TaskNameStats("mail", 2, 250, true), new TaskNameStats("resize", 1, 50, false),
                        new TaskNameStats("zip", 0, 0, false)), 3), s);
        List<Object> allServed = new java.util.ArrayList<>(reply);
        allServed.set(14, 1_249L);
        allServed.set(8, 0L);
        QueueStats served = QueueStats.fromReply("t1", "q", allServed, 1_250, 20);
        assertEquals(0, served.unclaimed(), "a worker serving every name serves them all");
        assertEquals(0, served.oldestUnclaimedAgeMillis());
        assertFalse(served.paused());
        QueueStats empty = QueueStats.fromReply("t1", "q", reply.subList(0, 16), 1_250, 20);
        assertEquals(0, empty.oldestPendingAgeMillis(), "nothing pending: age 0");
        assertEquals(List.of(), empty.byTaskName());

        TaskInfo info = TaskInfo.fromRecord("t1", "q", "abc", Map.of("spec", "send|HIGH|5|10|20|0|1000|k",
                "payload", "{}", "state", "FAILED", "attempts", "2", "runAt", "3000", "startedAt", "2000",
                "finishedAt", "", "lastError", "boom"));
        assertEquals(new TaskInfo("abc", "t1", "q", "send", "{}", TaskPriority.HIGH, TaskState.FAILED, 2, 5,
                Instant.ofEpochMilli(1000), Instant.ofEpochMilli(3000), Instant.ofEpochMilli(2000), null, "boom", null,
                null, "k", null, null, List.of(), null), info);
        TaskInfo fresh = TaskInfo.fromRecord("t1", "q", "abc", Map.of("spec", "send|HIGH|5|10|20|0|1000|",
                "payload", "{}", "state", "PENDING"));
        assertEquals(Instant.ofEpochMilli(1000), fresh.runAt(), "no runAt: when it was created");
        assertEquals(0, fresh.attempts());
        assertEquals(null, fresh.idempotencyKey());
    }

    @Test
    void aFlowParentsRecordListsItsChildrenInOrderWithTheirOutcomes() {
        Map<String, String> h = new java.util.HashMap<>(Map.of("spec", "join|NORMAL|5|10|20|0|1000|", "payload", "{}",
                "state", "WAITING_CHILDREN", "flowPolicy", "RUN_PARENT", "childCount", "3", "childrenLeft", "1"));
        h.put("child:2", "c2|DEAD|resize|boom: a|b");
        h.put("child:1", "c1|SUCCEEDED|resize|{\"ok\":true}");
        h.put("child:3", "c3||zip|");
        TaskInfo parent = TaskInfo.fromRecord("t1", "q", "p", h);
        assertEquals(FlowFailurePolicy.RUN_PARENT, parent.flowPolicy());
        assertEquals(List.of(new FlowChild("c1", "resize", TaskState.SUCCEEDED, "{\"ok\":true}", null),
                new FlowChild("c2", "resize", TaskState.DEAD, null, "boom: a|b"),
                new FlowChild("c3", "zip", null, null, null)), parent.children());
        assertFalse(parent.children().get(2).isFinished());
        assertEquals(null, parent.parentId());
        assertEquals(new FlowChild("c4", "x", TaskState.CANCELLED, null, null), FlowChild.parse("c4|CANCELLED|x|"));
        assertEquals(new FlowChild("c5", "x", TaskState.SUCCEEDED, null, null), FlowChild.parse("c5|SUCCEEDED|x|"),
                "no result: null");
        assertThrows(IllegalStateException.class, () -> FlowChild.parse("c6|DEAD"));

        TaskInfo child = TaskInfo.fromRecord("t1", "q", "c1", Map.of("spec", "resize|NORMAL|5|10|20|0|1000|",
                "payload", "{}", "state", "PENDING", "parent", "p", "childIndex", "1"));
        assertEquals("p", child.parentId());
        assertEquals(List.of(), child.children());
        assertEquals(null, child.flowPolicy());
        assertEquals(FlowFailurePolicy.FAIL_PARENT, new NewFlow(new NewTask("j", "{}", TaskPriority.LOW),
                List.of(new NewTask("c", "{}", TaskPriority.LOW)), null).onChildFailure(), "the default policy");
    }

    @Test
    void progressIsAPercentWithAShortMessageAndBelongsToTheAttemptThatReportedIt() {
        assertEquals(new TaskProgress(0, null, Instant.EPOCH), new TaskProgress(0, null, Instant.EPOCH));
        assertEquals(100, TaskProgress.of(100, "done").percent());
        InvalidInputException over = assertThrows(InvalidInputException.class, () -> TaskProgress.of(101, "x"));
        assertEquals("invalid progress 101: must be a percent from 0 to 100", over.getMessage());
        assertThrows(InvalidInputException.class, () -> TaskProgress.of(-1, null));
        InvalidInputException longer = assertThrows(InvalidInputException.class,
                () -> TaskProgress.of(1, "m".repeat(1001)));
        assertTrue(longer.getMessage().contains("must be at most 1000"), longer.getMessage());
        Map<String, String> record = new java.util.HashMap<>(Map.of("spec", "send|HIGH|5|10|20|0|1000|",
                "payload", "{}", "state", "RUNNING", "attempts", "2", "startedAt", "2000", "progress", "40",
                "progressMessage", "4 of 10", "progressAt", "2500"));
        assertEquals(new TaskProgress(40, "4 of 10", Instant.ofEpochMilli(2500)),
                TaskInfo.fromRecord("t1", "q", "abc", record).progress());
        record.put("startedAt", "3000");
        assertEquals(null, TaskInfo.fromRecord("t1", "q", "abc", record).progress(),
                "reported before this attempt started: an earlier attempt's");
        record.put("progressMessage", "");
        record.put("progressAt", "3000");
        assertEquals(new TaskProgress(40, null, Instant.ofEpochMilli(3000)),
                TaskInfo.fromRecord("t1", "q", "abc", record).progress());
        Task loose = new Task("t1", "q", "abc", "send", "{}", TaskPriority.NORMAL, 1, 1, "abc|x", 0, 10, 40, List.of());
        IllegalStateException nowhere = assertThrows(IllegalStateException.class, () -> loose.progress(1, "x"));
        assertTrue(nowhere.getMessage().contains("nowhere to go"), nowhere.getMessage());
        assertTrue(TaskCompletion.Outcome.DEAD.isFinal() && TaskCompletion.Outcome.SUCCEEDED.isFinal());
        assertFalse(TaskCompletion.Outcome.FAILED_WILL_RETRY.isFinal());
    }

    @Test
    void anEmptyQueueIsAskedAgainAfterThePollIntervalDoublingUpToTenTimesIt() {
        IdleBackoff idle = new IdleBackoff(Duration.ofMillis(20));
        TaskLeases q = queueKey("t1", "q");
        long ms = 1_000_000;
        long now = 0;
        assertTrue(idle.due(q, now), "never empty: asked at once");
        long[] expected = {20, 40, 80, 160, 200, 200};
        for (long delay : expected) {
            idle.foundEmpty(q, now);
            assertFalse(idle.due(q, now + delay * ms - 1), "not before " + delay + " ms");
            assertTrue(idle.due(q, now + delay * ms), "at " + delay + " ms");
            now += delay * ms;
        }
        assertTrue(idle.due(queueKey("t1", "other"), now), "each queue has its own wait");
        idle.foundWork(q);
        idle.foundEmpty(q, now);
        assertTrue(idle.due(q, now + 20 * ms), "work resets the wait to the poll interval");
    }

    /** A queue as a key of the worker pool's bookkeeping only: none of its methods is called. */
    private static TaskLeases queueKey(String tenant, String queue) {
        return new TaskLeases() {
            public String tenant() {
                return tenant;
            }

            public String queue() {
                return queue;
            }

            public ClaimBatch ackAndClaim(List<Task> done, List<String> results, int max, Duration lease) {
                throw new UnsupportedOperationException();
            }

            public java.util.Optional<TaskState> fail(Task task, Throwable error) {
                throw new UnsupportedOperationException();
            }

            public List<Boolean> renew(List<Task> tasks, Duration lease) {
                throw new UnsupportedOperationException();
            }

            public List<Boolean> progress(List<Task> tasks, List<TaskProgress> progress) {
                throw new UnsupportedOperationException();
            }

            public java.util.Set<String> taskNames() {
                return java.util.Set.of();
            }

            public int release(List<Task> tasks, Duration delay) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void configurationHasDefaultsAndNamesBadValues() {
        TaskQueueConfig d = TaskQueueConfig.load(ConfigSource.of(Map.of()));
        assertEquals(Duration.ofSeconds(30), d.lease());
        assertEquals(3, d.maxAttempts());
        assertEquals(8, d.workersConcurrency());
        assertEquals(10_000, d.bufferCapacity());
        assertEquals(Duration.ofMillis(500), d.progressInterval());
        assertEquals(Duration.ofMillis(100), d.awaitPollInterval());
        assertFalse(d.completionStreamEnabled());
        assertEquals(10_000, d.completionStreamMaxLength());
        ConfigurationException slow = assertThrows(ConfigurationException.class, () -> TaskQueueConfig.load(
                ConfigSource.of(Map.of("redis.crew.tasks.await-poll-interval", "1ms"))));
        assertTrue(slow.getMessage().contains("REDIS_CREW_TASKS_AWAIT_POLL_INTERVAL"), slow.getMessage());
        assertThrows(ConfigurationException.class, () -> TaskQueueConfig.load(
                ConfigSource.of(Map.of("redis.crew.tasks.completion-stream.max-length", "0"))));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> TaskQueueConfig.load(ConfigSource.of(Map.of("redis.crew.tasks.workers.concurrency", "0"))));
        assertTrue(e.getMessage().contains("REDIS_CREW_TASKS_WORKERS_CONCURRENCY"), e.getMessage());
    }

    @Test
    void aTenantsShareOfTheWorkersDefaultsToAQuarterAndIsValidated() {
        assertEquals(2, TaskQueueConfig.load(ConfigSource.of(Map.of())).workersTenantMaxShare());
        assertEquals(1, share("redis.crew.tasks.workers.concurrency", "3"));
        assertEquals(25, share("redis.crew.tasks.workers.concurrency", "100"));
        assertEquals(8, TaskQueueConfig.load(ConfigSource.of(Map.of("redis.crew.tasks.workers.concurrency", "8",
                "redis.crew.tasks.workers.tenant-max-share", "8"))).workersTenantMaxShare());
        ConfigurationException over = assertThrows(ConfigurationException.class, () -> TaskQueueConfig.load(
                ConfigSource.of(Map.of("redis.crew.tasks.workers.tenant-max-share", "9"))));
        assertEquals("redis.crew.tasks.workers.tenant-max-share (env REDIS_CREW_TASKS_WORKERS_TENANT_MAX_SHARE) = "
                + "\"9\": must not exceed redis.crew.tasks.workers.concurrency (8): a tenant cannot hold more slots "
                + "than the pool has", over.getMessage());
        ConfigurationException zero = assertThrows(ConfigurationException.class,
                () -> share("redis.crew.tasks.workers.tenant-max-share", "0"));
        assertEquals("redis.crew.tasks.workers.tenant-max-share (env REDIS_CREW_TASKS_WORKERS_TENANT_MAX_SHARE) = "
                + "\"0\": must be an integer from 1 to 10000", zero.getMessage());
        assertThrows(ConfigurationException.class, () -> share("redis.crew.tasks.workers.tenant-max-share", "half"));
    }

    private static int share(String key, String value) {
        return TaskQueueConfig.load(ConfigSource.of(Map.of(key, value))).workersTenantMaxShare();
    }

    @Test
    void demoHandlersAreRegisteredOnlyWhenEnabled() {
        NamedTaskHandler resize = new NamedTaskHandler() {
            public String taskName() {
                return "resize";
            }

            public String handle(Task task) {
                return null;
            }
        };
        DemoTaskHandler echo = new DemoTaskHandler() {
            public String taskName() {
                return "echo";
            }

            public String handle(Task task) {
                return task.payload();
            }
        };
        assertFalse(TaskQueueConfig.load(ConfigSource.of(Map.of())).demoHandlersEnabled());
        assertTrue(TaskQueueConfig.load(ConfigSource.of(Map.of("redis.crew.tasks.demo-handlers.enabled", "true")))
                .demoHandlersEnabled());
        assertEquals(Set.of("resize"), TaskHandlers.byName(List.of(resize, echo), false).keySet());
        assertEquals(Set.of("echo", "resize"), TaskHandlers.byName(List.of(resize, echo), true).keySet());
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> TaskHandlers.byName(List.of(echo, echo), true));
        assertTrue(twice.getMessage().contains("two task handlers for task name \"echo\""), twice.getMessage());
    }
}
