package io.mcpcrew.crew.web.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.testing.TestTokens;
import io.mcpcrew.crew.web.Http;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The task queue in the real WAR on Payara Micro: tasks enqueued over HTTP are run by the server's managed
 * workers (the {@code @Singleton @Startup} supervisor on the ManagedExecutorService with the built-in handlers,
 * enabled for the tests by {@code REDIS_CREW_TASKS_DEMO_HANDLERS_ENABLED=true} in the failsafe configuration), one
 * tenant's long tasks do not hold every worker, the API answers 400/404/409 as documented, every thread the
 * components start (for the built-in workers and for an application's own worker and subscriptions,
 * {@link ThreadsProbeResource}) is the server's managed thread, a CDI bean of the deployment ({@link TaskProbe})
 * hears of each outcome and reports progress, long polls ({@code ?wait}) hold no HTTP thread, and a flow's parent
 * ({@link FlowJoinProbe}) runs once after its last child.
 */
@ExtendWith(RedisServerExtension.class) // before Arquillian: Redis is up when Micro starts
@ExtendWith(ArquillianExtension.class)
class TasksMicroIT {

    @Deployment(testable = false)
    static WebArchive war() {
        // the MP Config override of FtProbeHandler's bulkhead, the standard way: a properties file in a jar of its own
        JavaArchive ftConfig = ShrinkWrap.create(JavaArchive.class, "ft-probe-config.jar").addAsManifestResource(
                new StringAsset(FtProbeHandler.BULKHEAD_KEY + "=" + FtProbeHandler.BULKHEAD + "\n"),
                "microprofile-config.properties");
        return Http.crewWar().addClasses(ThreadsProbeResource.class, FtProbeHandler.class, FtProbeResource.class,
                TaskProbe.class, TaskProbeResource.class, FlowJoinProbe.class).addAsLibraries(ftConfig);
    }

    @ArquillianResource
    URL base;

    String queueUrl(String tenant, String queue) {
        return base + "api/v1/tenants/" + tenant + "/queues/" + queue;
    }

    static JsonObject json(HttpResponse<String> r) {
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject();
        }
    }

    static JsonObject awaitTask(String url, Predicate<JsonObject> condition) throws InterruptedException {
        JsonObject last = null;
        long end = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < end) {
            HttpResponse<String> r = Http.get(url);
            assertEquals(200, r.statusCode(), r.body());
            last = json(r);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("task never reached the expected state; last: " + last);
    }

    @Test
    void echoEnqueuedOverHttpIsRunByTheManagedWorkers() throws Exception {
        HttpResponse<String> created = Http.send("POST", queueUrl("acme", "demo") + "/tasks",
                "{\"name\":\"echo\",\"payload\":{\"hello\":\"world\",\"n\":[1,2]},\"priority\":\"high\"}");
        assertEquals(201, created.statusCode(), created.body());
        String id = json(created).getString("id");
        String location = created.headers().firstValue("Location").orElseThrow();
        assertTrue(location.endsWith("/api/v1/tenants/acme/queues/demo/tasks/" + id), location);
        JsonObject done = awaitTask(location, t -> t.getString("state").equals("SUCCEEDED"));
        assertEquals(Json.createObjectBuilder().add("hello", "world").add("n", Json.createArrayBuilder().add(1).add(2))
                .build(), done.getJsonObject("result"));
        assertEquals("HIGH", done.getString("priority"));
        assertEquals(1, done.getInt("attempts"));
        JsonObject stats = json(Http.get(queueUrl("acme", "demo")));
        assertEquals(1, stats.getInt("succeededTotal"), stats.toString());
        HttpResponse<String> live = Http.get(Http.root(base) + "/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.body().contains("task-workers") && live.body().contains("alive"), live.body());
    }

    @Test
    void badInputIs400AndUnknownIdsAre404() {
        String tasks = queueUrl("acme", "demo") + "/tasks";
        assertBadRequest(Http.send("POST", tasks, "{\"name\":\"echo\",\"priority\":\"URGENT\"}"), "URGENT");
        assertBadRequest(Http.send("POST", tasks, "{\"name\":\"echo\",\"delaySeconds\":-1}"), "delaySeconds");
        assertBadRequest(Http.send("POST", tasks, "{\"name\":\"echo\",\"maxAttempts\":0}"), "maxAttempts");
        assertBadRequest(Http.send("POST", tasks, "{\"payload\":1}"), "task name");
        assertBadRequest(Http.send("POST", tasks, "{\"name\":\"echo\",\"payload\":\"" + "x".repeat(1_100_000) + "\"}"),
                "too large");
        assertBadRequest(Http.send("POST", queueUrl("_bad", "demo") + "/tasks", "{\"name\":\"echo\"}"), "tenant id");
        assertBadRequest(Http.send("POST", tasks, "{\"name\":"), "malformed JSON");
        assertBadRequest(Http.get(queueUrl("acme", "demo") + "/dead?limit=lots"), "limit");
        assertBadRequest(Http.get(queueUrl("acme", "demo") + "/dead?limit=0"), "limit");
        assertEquals(404, Http.get(tasks + "/0123456789abcdef0123456789abcdef").statusCode());
        assertEquals(404, Http.send("DELETE", tasks + "/0123456789abcdef0123456789abcdef", null).statusCode());
        assertEquals(404, Http.send("POST", queueUrl("acme", "demo") + "/dead/0123456789abcdef0123456789abcdef/retry",
                null).statusCode());
    }

    /** No node here has a handler for the name: accepted, never claimed, counted as unclaimed, never failed. */
    @Test
    void aTaskNoNodeServesIsAcceptedAndWaitsUnclaimed() throws Exception {
        String q = queueUrl("acme", "unserved");
        HttpResponse<String> unserved = Http.send("POST", q + "/tasks", "{\"name\":\"no-such-task\",\"payload\":1}");
        assertEquals(201, unserved.statusCode(), unserved.body());
        String id = json(unserved).getString("id");
        String echo = json(Http.send("POST", q + "/tasks", "{\"name\":\"echo\",\"payload\":2}")).getString("id");
        awaitTask(q + "/tasks/" + echo, t -> "SUCCEEDED".equals(t.getString("state"))); // the workers visited the queue
        JsonObject task = json(Http.get(q + "/tasks/" + id));
        assertEquals("PENDING", task.getString("state"), task.toString());
        assertEquals(0, task.getInt("attempts"), "no attempt spent for want of a handler: " + task);
        JsonObject stats = json(Http.get(q));
        assertEquals(1, stats.getInt("unclaimed"), stats.toString());
        assertEquals(0, stats.getInt("failedAttemptsTotal"), stats.toString());
        JsonObject byName = stats.getJsonArray("byTaskName").getJsonObject(0);
        assertEquals("no-such-task", byName.getString("taskName"), stats.toString());
        assertEquals(1, byName.getInt("pending"), stats.toString());
        assertFalse(byName.getBoolean("served"), stats.toString());
        assertEquals("CANCELLED", json(Http.send("DELETE", q + "/tasks/" + id, null)).getString("state"));
    }

    @Test
    void cancelPauseResumeAndDeadLetterRetry() throws Exception {
        String q = queueUrl("acme", "ops");
        HttpResponse<String> later = Http.send("POST", q + "/tasks",
                "{\"name\":\"echo\",\"payload\":null,\"delaySeconds\":3600,\"idempotencyKey\":\"once-1\"}");
        assertEquals(201, later.statusCode(), later.body());
        String laterId = json(later).getString("id");
        HttpResponse<String> again = Http.send("POST", q + "/tasks",
                "{\"name\":\"echo\",\"payload\":null,\"delaySeconds\":3600,\"idempotencyKey\":\"once-1\"}");
        assertEquals(laterId, json(again).getString("id"), "idempotent enqueue returns the first id");
        assertEquals("SCHEDULED", json(Http.get(q + "/tasks/" + laterId)).getString("state"));
        HttpResponse<String> cancelled = Http.send("DELETE", q + "/tasks/" + laterId, null);
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals("CANCELLED", json(cancelled).getString("state"));
        HttpResponse<String> twice = Http.send("DELETE", q + "/tasks/" + laterId, null);
        assertEquals(200, twice.statusCode(), "cancel is idempotent: " + twice.body());
        assertEquals("CANCELLED", json(twice).getString("state"));

        HttpResponse<String> paused = Http.send("POST", q + "/pause", null);
        assertEquals(200, paused.statusCode(), paused.body());
        assertTrue(json(paused).getBoolean("paused"));
        assertTrue(json(Http.send("POST", q + "/resume", null)).getBoolean("paused") == false);

        // a sleep task with a bad payload fails permanently: a dead letter, listed, and retried
        HttpResponse<String> bad = Http.send("POST", q + "/tasks", "{\"name\":\"sleep\",\"payload\":{\"ms\":-5}}");
        assertEquals(201, bad.statusCode(), bad.body());
        String badId = json(bad).getString("id");
        JsonObject dead = awaitTask(q + "/tasks/" + badId, t -> t.getString("state").equals("DEAD"));
        assertTrue(dead.getString("lastError").contains("sleep needs a payload"), dead.toString());
        JsonObject letters = json(Http.get(q + "/dead"));
        assertEquals(badId, letters.getJsonArray("tasks").getJsonObject(0).getString("id"), letters.toString());
        HttpResponse<String> retried = Http.send("POST", q + "/dead/" + badId + "/retry", null);
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals("PENDING", json(retried).getString("state"));
        awaitTask(q + "/tasks/" + badId, t -> t.getString("state").equals("DEAD"));
        HttpResponse<String> sleep = Http.send("POST", q + "/tasks", "{\"name\":\"sleep\",\"payload\":{\"ms\":10}}");
        JsonObject slept = awaitTask(sleep.headers().firstValue("Location").orElseThrow(),
                t -> t.getString("state").equals("SUCCEEDED"));
        assertEquals(10, slept.getJsonObject("result").getInt("sleptMs"));
        HttpResponse<String> tooLate = Http.send("DELETE", q + "/tasks/" + slept.getString("id"), null);
        assertEquals(409, tooLate.statusCode(), tooLate.body());
        assertTrue(tooLate.body().contains("is SUCCEEDED"), tooLate.body());
    }

    /**
     * A schedule put over HTTP fires every second on the server's schedule timer; the managed workers run its
     * {@code echo} tasks (ids {@code s.<name>.<tick>}, one per tick); paused, no tick fires; resumed, ticks fire
     * again; deleted, it is gone. Bad schedules are 400 naming the value and the rule.
     */
    @Test
    void aRecurringTaskFiresEverySecondUntilPausedAndIsDeleted() throws Exception {
        String q = queueUrl("acme", "recurring");
        String beat = q + "/schedules/beat";
        HttpResponse<String> put = Http.send("PUT", beat, "{\"taskName\":\"echo\",\"payload\":{\"n\":1},"
                + "\"everySeconds\":1}");
        assertEquals(200, put.statusCode(), put.body());
        JsonObject created = json(put);
        assertEquals("beat", created.getString("name"));
        assertEquals("echo", created.getString("taskName"));
        assertEquals(1, created.getInt("everySeconds"));
        assertTrue(created.isNull("cron"), created.toString());
        assertEquals("UTC", created.getString("timeZone"));
        assertFalse(created.getBoolean("paused"));
        long first = millis(created, "nextRunAt");

        JsonObject fired = awaitTask(beat, sc -> !sc.isNull("lastFiredAt") && millis(sc, "lastFiredAt") >= first + 2000);
        for (long tick = first; tick <= first + 2000; tick += 1000) { // three ticks in a row, each one task, run
            JsonObject task = awaitTask(q + "/tasks/s.beat." + tick, t -> t.getString("state").equals("SUCCEEDED"));
            assertEquals(Json.createObjectBuilder().add("n", 1).build(), task.getJsonObject("result"), task.toString());
            assertEquals("echo", task.getString("name"));
        }
        assertTrue(fired.getString("lastTaskId").startsWith("s.beat."), fired.toString());

        HttpResponse<String> paused = Http.send("POST", beat + "/pause", null);
        assertEquals(200, paused.statusCode(), paused.body());
        assertTrue(json(paused).getBoolean("paused"));
        assertTrue(json(paused).isNull("nextRunAt"));
        long last = millis(json(Http.get(beat)), "lastFiredAt");
        Thread.sleep(2500);
        assertEquals(last, millis(json(Http.get(beat)), "lastFiredAt"), "no tick fires while paused");
        assertEquals(404, Http.get(q + "/tasks/s.beat." + (last + 1000)).statusCode());
        assertEquals(404, Http.get(q + "/tasks/s.beat." + (last + 2000)).statusCode());

        HttpResponse<String> resumed = Http.send("POST", beat + "/resume", null);
        assertEquals(200, resumed.statusCode(), resumed.body());
        assertFalse(json(resumed).getBoolean("paused"));
        assertTrue(millis(json(resumed), "nextRunAt") > last + 2000, resumed.body());
        awaitTask(beat, sc -> millis(sc, "lastFiredAt") > last);
        JsonObject list = json(Http.get(q + "/schedules"));
        assertEquals("beat", list.getJsonArray("schedules").getJsonObject(0).getString("name"), list.toString());

        HttpResponse<String> deleted = Http.send("DELETE", beat, null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertTrue(json(deleted).getBoolean("deleted"));
        assertEquals(404, Http.get(beat).statusCode());
        assertEquals(404, Http.send("DELETE", beat, null).statusCode());
        assertEquals(404, Http.send("POST", beat + "/pause", null).statusCode());
        assertEquals(0, json(Http.get(q + "/schedules")).getJsonArray("schedules").size());

        String bad = q + "/schedules/bad";
        assertBadRequest(Http.send("PUT", bad, "{\"taskName\":\"echo\",\"cron\":\"61 * * * *\"}"), "61 * * * *");
        assertBadRequest(Http.send("PUT", bad, "{\"taskName\":\"echo\",\"cron\":\"* * *\"}"),
                "must be 5 fields (minute hour day-of-month month day-of-week");
        assertBadRequest(Http.send("PUT", bad, "{\"taskName\":\"echo\",\"cron\":\"0 0 30 2 *\"}"), "never fires");
        assertBadRequest(Http.send("PUT", bad, "{\"taskName\":\"echo\"}"), "exactly one");
        assertBadRequest(Http.send("PUT", bad, "{\"taskName\":\"echo\",\"everySeconds\":0}"), "everySeconds");
        assertBadRequest(Http.send("PUT", bad, "{\"taskName\":\"echo\",\"cron\":\"@daily\",\"timeZone\":\"Mars/Base\"}"),
                "Mars/Base");
        assertBadRequest(Http.send("PUT", q + "/schedules/no.dots", "{\"taskName\":\"echo\",\"everySeconds\":5}"),
                "schedule name");
        assertEquals(404, Http.get(bad).statusCode(), "nothing was stored");
    }

    /**
     * Tenant "hog" enqueues 50 two-second {@code sleep} tasks, then tenant "calm" one {@code echo}: calm's task starts
     * within one of hog's tasks' time of being enqueued (from the tasks' recorded times), because hog never holds
     * more than its share of the workers (the liveness check reports it) — checked over every hog task that ran.
     * Without the share hog takes all 8 workers at once. The failsafe configuration sets the poll interval to 50 ms,
     * so calm's idle queue is asked again within 500 ms: the wait measured is what hog's tasks cost calm.
     */
    @Test
    void oneTenantsLongTasksLeaveWorkersForAnother() throws Exception {
        long taskMillis = 2_000;
        HttpResponse<String> live = Http.get(Http.root(base) + "/health/live");
        Matcher m = Pattern.compile("(\\d+)/(\\d+) running \\(at most (\\d+) per tenant\\)").matcher(live.body());
        assertTrue(m.find(), "the liveness check reports the workers' share per tenant: " + live.body());
        int concurrency = Integer.parseInt(m.group(2));
        int share = Integer.parseInt(m.group(3));
        assertTrue(share < concurrency, "the default share is below the pool: " + live.body());

        // calm's queue is known to the workers (in the registry) before the test starts
        String calm = queueUrl("calm", "jobs");
        HttpResponse<String> first = Http.send("POST", calm + "/tasks", "{\"name\":\"echo\",\"payload\":1}");
        assertEquals(201, first.statusCode(), first.body());
        awaitTask(first.headers().firstValue("Location").orElseThrow(), t -> t.getString("state").equals("SUCCEEDED"));

        String hog = queueUrl("hog", "slow");
        List<String> hogTasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> r = Http.send("POST", hog + "/tasks",
                    "{\"name\":\"sleep\",\"payload\":{\"ms\":" + taskMillis + "}}");
            assertEquals(201, r.statusCode(), r.body());
            hogTasks.add(r.headers().firstValue("Location").orElseThrow());
        }
        awaitTask(hog, q -> q.getInt("running") >= share);

        HttpResponse<String> created = Http.send("POST", calm + "/tasks", "{\"name\":\"echo\",\"payload\":2}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject done = awaitTask(created.headers().firstValue("Location").orElseThrow(),
                t -> t.getString("state").equals("SUCCEEDED"));
        long waited = millis(done, "startedAt") - millis(done, "createdAt");
        assertTrue(waited <= taskMillis, "calm's task waited " + waited + " ms to start while hog's tasks ran: " + done);

        // stop hog early (cancel what is still pending), let its running tasks finish, then read every hog task
        for (String task : hogTasks) {
            int status = Http.send("DELETE", task, null).statusCode();
            assertTrue(status == 200 || status == 409, task + ": " + status);
        }
        awaitTask(hog, q -> q.getInt("running") == 0);
        List<long[]> ran = new ArrayList<>();
        for (String task : hogTasks) {
            JsonObject t = awaitTask(task, x -> !x.getString("state").equals("RUNNING"));
            if (t.getString("state").equals("SUCCEEDED")) {
                ran.add(new long[] {millis(t, "startedAt"), millis(t, "finishedAt")});
            }
        }
        assertTrue(ran.size() >= share, "hog's tasks ran: " + ran.size());
        assertEquals(share, mostAtOnce(ran), "hog's tasks running at once, over all " + ran.size() + " that ran");
    }

    /**
     * An application's own worker ({@code startWorker(handler, 2)}: dispatcher and handler pool of its own) and its
     * subscriptions (a broadcast reader, a group consumer) run on threads of the server's managed thread factory, as
     * does the built-in workers' dispatcher: every {@code crew-} thread of the JVM is a {@code ManageableThread}, and
     * the expected ones are there (so the check is not over an empty list). Stopping the worker and the
     * subscriptions ends their threads.
     */
    @Test
    void everyThreadOfTheComponentsIsAManagedThreadOfTheServer() throws Exception {
        String probe = base + "api/v1/test/threads";
        HttpResponse<String> started = Http.send("POST", probe + "?tenant=own&queue=threads", null);
        assertEquals(200, started.statusCode(), started.body());
        String id = json(started).getString("task");
        JsonObject done = awaitTask(queueUrl("own", "threads") + "/tasks/" + id,
                t -> t.getString("state").equals("SUCCEEDED"));
        assertTrue(done.getJsonObject("result").getString("ranOn").matches("crew-tasks-own-threads-\\d+"),
                "the handler ran on the worker's own pool: " + done);

        JsonObject seen = json(Http.get(probe));
        List<String> names = new ArrayList<>();
        for (JsonObject t : seen.getJsonArray("threads").getValuesAs(JsonObject.class)) {
            assertTrue(t.getBoolean("managed"), "not a thread of the server's ManagedThreadFactory: " + t + " in " + seen);
            names.add(t.getString("name"));
        }
        for (String expected : List.of("crew-task-workers-dispatcher-\\d+", "crew-tasks-own-threads-dispatcher-\\d+",
                "crew-tasks-own-threads-\\d+", "crew-events-own-threads-probe-\\d+",
                "crew-events-own-threads-probe-threads-probe-group-\\d+")) {
            assertTrue(names.stream().anyMatch(n -> n.matches(expected)), "no thread " + expected + " in " + names);
        }
        assertEquals(List.of(done.getJsonObject("result").getString("ranOn") + " managed=true"),
                seen.getJsonArray("handledOn").getValuesAs(jakarta.json.JsonString::getString), seen.toString());

        HttpResponse<String> stopped = Http.send("DELETE", probe, null);
        assertEquals(200, stopped.statusCode(), stopped.body());
        List<String> after = new ArrayList<>();
        long end = System.nanoTime() + 30_000_000_000L;
        do {
            after.clear();
            for (JsonObject t : json(Http.get(probe)).getJsonArray("threads").getValuesAs(JsonObject.class)) {
                after.add(t.getString("name"));
            }
        } while (after.stream().anyMatch(n -> n.contains("-own-")) && System.nanoTime() < end && pause(100));
        assertTrue(after.stream().noneMatch(n -> n.contains("-own-")), "threads left after stop: " + after);
        assertTrue(after.stream().anyMatch(n -> n.startsWith("crew-task-workers-dispatcher-")), after.toString());

        // the component probe's report of the same (what the EAR suites check on Payara Server and WildFly)
        HttpResponse<String> p = Http.get(base + "api/v1/probe", TestTokens.admin());
        JsonObject threads = json(p).getJsonObject("components").getJsonObject("threads");
        assertTrue(threads.getBoolean("ok"), threads.toString());
        assertTrue(threads.getString("handledOn").matches("crew-tasks-crew-probe-probe-threads-\\d+ managed=true"),
                threads.toString());
    }

    private static boolean pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    /**
     * MicroProfile Fault Tolerance on a task handler: {@link FtProbeHandler#handle} carries {@code @Timeout(3000)};
     * a task that sleeps 20 s is cut off after 3 s, and that is a failed attempt (with one attempt allowed: DEAD),
     * its last error naming the timeout.
     */
    @Test
    void aHandlersFaultToleranceTimeoutFailsTheAttempt() throws Exception {
        HttpResponse<String> r = Http.send("POST", queueUrl("acme", "ft") + "/tasks",
                "{\"name\":\"ft-probe\",\"payload\":{\"ms\":20000},\"maxAttempts\":1}");
        assertEquals(201, r.statusCode(), r.body());
        JsonObject dead = awaitTask(r.headers().firstValue("Location").orElseThrow(),
                t -> t.getString("state").equals("DEAD"));
        assertTrue(dead.getString("lastError").contains("TimeoutException"), dead.toString());
        assertEquals(1, dead.getInt("attempts"), dead.toString());
        long ran = millis(dead, "finishedAt") - millis(dead, "startedAt");
        assertTrue(ran >= FtProbeHandler.TIMEOUT_MS && ran < 15_000, "cut off after the timeout, not the 20 s: " + ran
                + " ms, " + dead);
    }

    /**
     * MicroProfile Fault Tolerance on a task handler: {@code @Bulkhead(5)} on {@link FtProbeHandler#handle}, lowered
     * to 2 by MP Config ({@code <class>/handle/Bulkhead/value=2} in a jar of the deployment). Four tenants' tasks
     * (two each: the workers' share per tenant is 2 of 8) make eight calls at once: at most 2 run at once (the
     * override is the limit in force, not the annotation's 5), the others are rejected by the bulkhead, and a
     * rejection is not a failed attempt: the task is given back and runs later. Every task succeeds on its first
     * attempt, and the handler's body ran exactly once per task.
     */
    @Test
    void aHandlersBulkheadFromMpConfigRejectsAndTheRejectedTasksRunLater() throws Exception {
        String probe = base + "api/v1/test/ft-probe";
        JsonObject before = json(Http.send("DELETE", probe, null));
        assertEquals(String.valueOf(FtProbeHandler.BULKHEAD), before.getString("bulkheadConfig"), before.toString());
        List<String> tasks = new ArrayList<>();
        for (String tenant : List.of("ft1", "ft2", "ft3", "ft4")) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> r = Http.send("POST", queueUrl(tenant, "ft") + "/tasks",
                        "{\"name\":\"ft-probe\",\"payload\":{\"ms\":1500}}");
                assertEquals(201, r.statusCode(), r.body());
                tasks.add(r.headers().firstValue("Location").orElseThrow());
            }
        }
        for (String task : tasks) {
            JsonObject done = awaitTask(task, t -> !t.getString("state").equals("PENDING")
                    && !t.getString("state").equals("RUNNING") && !t.getString("state").equals("SCHEDULED"));
            assertEquals("SUCCEEDED", done.getString("state"), done.toString());
            assertEquals(1, done.getInt("attempts"), "a bulkhead rejection is not a failed attempt: " + done);
        }
        JsonObject stats = json(Http.get(probe));
        assertEquals(tasks.size(), stats.getInt("entered"), stats.toString());
        assertEquals(FtProbeHandler.BULKHEAD, stats.getInt("mostAtOnce"), "the limit in force is MP Config's: " + stats);
        HttpResponse<String> live = Http.get(Http.root(base) + "/health/live");
        Matcher m = Pattern.compile("(\\d+) deferred").matcher(live.body());
        assertTrue(m.find() && Integer.parseInt(m.group(1)) > 0,
                "the bulkhead rejected calls, and the workers deferred their tasks: " + live.body());
    }

    /** The most intervals [start, finish) that overlap at one instant (a finish before a start at the same ms). */
    static int mostAtOnce(List<long[]> intervals) {
        List<long[]> edges = new ArrayList<>();
        for (long[] i : intervals) {
            edges.add(new long[] {i[0], +1});
            edges.add(new long[] {i[1], -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int most = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            most = Math.max(most, now);
        }
        return most;
    }

    String probe(String path) {
        return base + "api/v1/test/task-probe/" + path;
    }

    static String created(HttpResponse<String> r) {
        assertEquals(201, r.statusCode(), r.body());
        return json(r).getString("id");
    }

    /**
     * A {@code probe} task fails its first attempt, then reports progress and waits to be released: the progress shows
     * while it runs (also to a {@code ?wait} that ends before the task), a {@code ?wait} answers as soon as it
     * finishes, and the CDI observer of the deployment hears of each outcome once, off the dispatcher thread; a dead
     * letter too.
     */
    @Test
    void aCdiBeanHearsOfEachOutcomeAndProgressShowsWhileATaskRuns() throws Exception {
        String q = queueUrl("acme", "probe");
        String id = created(Http.send("POST", q + "/tasks", "{\"name\":\"probe\",\"payload\":{\"percent\":30,"
                + "\"message\":\"warming up\",\"failAttempts\":1}}"));
        JsonObject running = awaitTask(q + "/tasks/" + id, t -> t.getString("state").equals("RUNNING")
                && !t.isNull("progress"));
        assertEquals(2, running.getInt("attempts"), running.toString());
        JsonObject progress = running.getJsonObject("progress");
        assertEquals(30, progress.getInt("percent"), running.toString());
        assertEquals("warming up", progress.getString("message"), running.toString());
        assertTrue(Instant.parse(progress.getString("at")).compareTo(Instant.parse(running.getString("startedAt"))) >= 0,
                running.toString());

        HttpResponse<String> shortWait = Http.get(q + "/tasks/" + id + "?wait=1");
        assertEquals(200, shortWait.statusCode(), shortWait.body());
        assertEquals("RUNNING", json(shortWait).getString("state"), "at the end of the wait, the task as it is");
        assertEquals(30, json(shortWait).getJsonObject("progress").getInt("percent"));

        CompletableFuture<HttpResponse<String>> longWait = CompletableFuture.supplyAsync(
                () -> Http.get(q + "/tasks/" + id + "?wait=30"));
        assertEquals(200, Http.send("POST", probe(id + "/release"), null).statusCode());
        HttpResponse<String> finished = longWait.get(60, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode(), finished.body());
        assertEquals("SUCCEEDED", json(finished).getString("state"), finished.body());
        assertTrue(json(finished).getJsonObject("result").getBoolean("released"), finished.body());

        List<String> heard = awaitHeard(id, 2);
        assertEquals(2, heard.size(), heard.toString());
        assertTrue(heard.get(0).startsWith("FAILED_WILL_RETRY#1 probe acme/probe "), heard.toString());
        assertTrue(heard.get(1).startsWith("SUCCEEDED#2 probe acme/probe "), heard.toString());
        assertFalse(heard.stream().anyMatch(h -> h.contains("dispatcher")), "heard on a worker thread: " + heard);

        String dead = created(Http.send("POST", q + "/tasks", "{\"name\":\"sleep\",\"payload\":{\"ms\":-1}}"));
        HttpResponse<String> deadWait = Http.get(q + "/tasks/" + dead + "?wait=30");
        assertEquals("DEAD", json(deadWait).getString("state"), deadWait.body());
        assertEquals(List.of("DEAD#1 sleep acme/probe"), awaitHeard(dead, 1).stream()
                .map(h -> h.substring(0, h.lastIndexOf(' '))).toList());
    }

    /**
     * A flow of 1 parent ({@code join}, {@link FlowJoinProbe}) and 10 {@code echo} children enqueued over HTTP: the
     * parent runs once, after the last child finished, with each child's result; bad flow bodies are 400s naming the
     * field.
     */
    @Test
    void aFlowOfTenChildrenRunsItsParentOnceAfterTheLastChild() throws Exception {
        String q = queueUrl("acme", "flow");
        StringBuilder children = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            children.append(i == 0 ? "" : ",").append("{\"name\":\"echo\",\"payload\":{\"i\":").append(i).append("}}");
        }
        HttpResponse<String> r = Http.send("POST", q + "/flows", "{\"parent\":{\"name\":\"join\",\"payload\":"
                + "{\"order\":7},\"priority\":\"high\"},\"children\":[" + children + "]}");
        assertEquals(201, r.statusCode(), r.body());
        String parent = json(r).getString("parentId");
        List<String> childIds = json(r).getJsonArray("childIds").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList();
        assertEquals(10, childIds.size(), r.body());
        assertEquals(q + "/tasks/" + parent, r.headers().firstValue("Location").orElseThrow());

        HttpResponse<String> waited = Http.get(q + "/tasks/" + parent + "?wait=60");
        JsonObject done = json(waited);
        assertEquals("SUCCEEDED", done.getString("state"), waited.body());
        assertEquals("FAIL_PARENT", done.getString("flowPolicy"), waited.body());
        JsonObject result = done.getJsonObject("result");
        assertEquals(1, result.getInt("runs"), "the parent ran once: " + waited.body());
        Instant parentStarted = Instant.parse(done.getString("startedAt"));
        for (int i = 0; i < 10; i++) {
            JsonObject seen = result.getJsonArray("children").getJsonObject(i);
            assertEquals(childIds.get(i), seen.getString("id"), "the children in the order given");
            assertEquals("SUCCEEDED", seen.getString("outcome"), seen.toString());
            assertEquals(i, seen.getJsonObject("result").getInt("i"), "the child's result reached the parent");
            JsonObject child = json(Http.get(q + "/tasks/" + childIds.get(i)));
            assertEquals(parent, child.getString("parentId"), child.toString());
            assertFalse(parentStarted.isBefore(Instant.parse(child.getString("finishedAt"))),
                    "the parent started after child " + i + " finished: " + child + " / " + done);
            assertEquals("SUCCEEDED", done.getJsonArray("children").getJsonObject(i).getString("outcome"));
        }

        String flows = q + "/flows";
        assertBadRequest(Http.send("POST", flows, "{\"parent\":{\"name\":\"join\"},\"children\":[]}"),
                "must have 1 to 1000");
        assertBadRequest(Http.send("POST", flows, "{\"children\":[{\"name\":\"echo\"}]}"), "the parent task");
        assertBadRequest(Http.send("POST", flows, "{\"parent\":{\"name\":\"join\"},\"children\":[{\"name\":\"echo\"},"
                + "{\"payload\":1}]}"), "children[1].name");
        assertBadRequest(Http.send("POST", flows, "{\"parent\":{\"name\":\"join\"},\"children\":[{\"name\":\"echo\"}],"
                + "\"onChildFailure\":\"MAYBE\"}"), "MAYBE");
        assertBadRequest(Http.send("POST", flows, "{\"parent\":{\"name\":\"join\",\"delaySeconds\":5},"
                + "\"children\":[{\"name\":\"echo\"}]}"), "no delay");
    }

    /** What the observer heard of task {@code id}, once it heard {@code n} notices (or the deadline passed). */
    List<String> awaitHeard(String id, int n) throws InterruptedException {
        List<String> heard = List.of();
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            heard = json(Http.get(probe(id))).getJsonArray("heard").getValuesAs(jakarta.json.JsonString.class)
                    .stream().map(jakarta.json.JsonString::getString).toList();
            if (heard.size() >= n) {
                Thread.sleep(200); // a duplicate would arrive with or right after the others
                return json(Http.get(probe(id))).getJsonArray("heard").getValuesAs(jakarta.json.JsonString.class)
                        .stream().map(jakarta.json.JsonString::getString).toList();
            }
            Thread.sleep(100);
        }
        return heard;
    }

    @Test
    void aWaitOutsideItsRangeIs400AndAnUnknownTaskIs404() {
        String tasks = queueUrl("acme", "demo") + "/tasks/";
        assertBadRequest(Http.get(tasks + "0123456789abcdef0123456789abcdef?wait=61"), "must be an integer from 0 to 60");
        assertBadRequest(Http.get(tasks + "0123456789abcdef0123456789abcdef?wait=soon"), "wait");
        assertBadRequest(Http.get(tasks + "0123456789abcdef0123456789abcdef?wait=-1"), "wait");
        assertEquals(404, Http.get(tasks + "0123456789abcdef0123456789abcdef?wait=5").statusCode());
        assertBadRequest(Http.get(tasks + "bad%20id?wait=5"), "invalid task id");
    }

    /**
     * 500 requests wait at once ({@code ?wait=60}) for tasks of a paused queue: the server holds all 500 (no HTTP
     * thread each: Payara Micro's HTTP pool has at most 200 threads), another request answers at once meanwhile, and
     * once the queue resumes each wait answers with its task SUCCEEDED, as the task finishes rather than at the
     * timeout. The client speaks HTTP/1.1, one connection per request (over HTTP/2 it would multiplex them, at most
     * the server's stream limit at once).
     */
    @Test
    void fiveHundredLongPollsAreAnsweredAsTheirTasksFinishWithTheHttpPoolIntact() throws Exception {
        int n = 500;
        String q = queueUrl("waiters", "jobs");
        assertEquals(200, Http.send("POST", q + "/pause", null).statusCode());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(created(Http.send("POST", q + "/tasks", "{\"name\":\"echo\",\"payload\":" + i + "}")));
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        List<CompletableFuture<HttpResponse<String>>> waits = new ArrayList<>();
        for (String id : ids) {
            String url = q + "/tasks/" + id + "?wait=60";
            waits.add(client.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + Http.tokenFor(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int awaiting = 0;
        int most = 0;
        long end = System.nanoTime() + 90_000_000_000L;
        while (awaiting < n && System.nanoTime() < end && waits.stream().noneMatch(CompletableFuture::isDone)) {
            Thread.sleep(100);
            awaiting = json(Http.get(probe("awaiting"))).getInt("awaiting");
            most = Math.max(most, awaiting);
        }
        List<String> early = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> w : waits) {
            if (w.isDone()) {
                early.add(w.handle((r, e) -> e != null ? e.toString() : r.statusCode() + " " + r.body()).get());
            }
        }
        assertEquals(List.of(), early.subList(0, Math.min(5, early.size())), early.size() + " answered early");
        assertEquals(n, awaiting, "the server holds every waiting request at once (at most " + most + " seen)");
        long t0 = System.nanoTime();
        HttpResponse<String> meanwhile = Http.get(q);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(200, meanwhile.statusCode(), meanwhile.body());
        assertEquals(n, json(meanwhile).getInt("pending"), meanwhile.body());
        assertTrue(tookMillis < 10_000, "another request waited " + tookMillis + " ms beside " + n + " long polls");
        assertFalse(waits.stream().anyMatch(CompletableFuture::isDone), "nothing answered while the queue is paused");

        assertEquals(200, Http.send("POST", q + "/resume", null).statusCode());
        CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = waits.get(i).get();
            assertEquals(200, r.statusCode(), r.body());
            JsonObject t = json(r);
            assertEquals("SUCCEEDED", t.getString("state"), "answered when the task finished: " + r.body());
            assertEquals(i, t.getInt("result"), r.body());
        }
        awaitTask(probe("awaiting"), a -> a.getInt("awaiting") == 0);
    }

    static long millis(JsonObject task, String field) {
        return Instant.parse(task.getString(field)).toEpochMilli();
    }

    static void assertBadRequest(HttpResponse<String> r, String mentions) {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains(mentions), "400 body should mention " + mentions + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }
}
