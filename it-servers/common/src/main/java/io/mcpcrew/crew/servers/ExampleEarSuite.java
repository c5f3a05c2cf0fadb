package io.mcpcrew.crew.servers;

import static io.mcpcrew.crew.servers.EarContainerSuite.expect;
import static io.mcpcrew.crew.servers.EarContainerSuite.get;
import static io.mcpcrew.crew.servers.EarContainerSuite.health;
import static io.mcpcrew.crew.servers.EarContainerSuite.json;
import static io.mcpcrew.crew.servers.EarContainerSuite.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.testing.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.File;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A user's own application on a full server: {@code examples/orders-ear} ({@code orders.ear}: crew's core in
 * {@code lib/}, crew's EJB module and HTTP API at {@code /crew}, the user's EJB module {@code orders-ejb.jar},
 * package {@code com.example.orders}, and the user's WAR at {@code /orders}), deployed unchanged, driven only through
 * crew's HTTP API and read back through it, the user's own endpoint and the test's Redis.
 *
 * <p>It proves, on each server: a task enqueued over HTTP runs in the user's {@code NamedTaskHandler} bean (found
 * in the user's jar by crew's built-in supervisor) and its result is readable; the user's own worker (started by
 * its {@code @Singleton @Startup} bean on the server's {@code ManagedExecutorService}) runs its tasks; an event
 * published over HTTP reaches the user's CDI observer; the built-in supervisor never claims a task it has no
 * handler for there (it waits, counted as unclaimed, never failed); MicroProfile Fault Tolerance on the user's
 * handler: a {@code @Timeout} fails the attempt, a {@code @Bulkhead} refuses calls over its limit without failing
 * an attempt, and the limit in force is the one MicroProfile Config sets
 * ({@code COM_EXAMPLE_ORDERS_PRICEORDERHANDLER_HANDLE_BULKHEAD_VALUE=2} in the server's environment, failsafe;
 * the annotation says 4); the user's endpoint answers 503 through its {@code @Fallback} while Redis is down.
 *
 * <p>The application serves tenant {@value #TENANT} ({@code orders.tenants}, its default): its shipping worker
 * and its orders-stream bridge run for that tenant only. The server (started once for the test JVM) may have run
 * {@link EarContainerSuite} before; that deployment is gone, and this class has a fresh Redis on the same port.
 */
@ExtendWith(RedisServerExtension.class) // first: Redis is up before Arquillian deploys
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ExampleEarSuite {
    public static final String EXAMPLE_EAR_PROPERTY = "crew.it.example.ear";
    /** The key prefix the server gets from the environment (REDIS_CREW_KEY_PREFIX, failsafe). */
    static final String KEY_PREFIX = "crewit";
    /** The tenant the application serves: its shipping worker and stream bridge run for it. */
    static final String TENANT = "acme";
    /** A tenant the application runs no worker for on this node. */
    static final String OTHER_TENANT = "globex";
    /** PriceOrderHandler's @Timeout (5 s) and @Bulkhead as configured for the suite (2; the annotation says 4). */
    static final Duration HANDLER_TIMEOUT = Duration.ofSeconds(5);
    static final int BULKHEAD_LIMIT = 2;
    /** How long a pipeline step may take to show: generous, the machine is shared. */
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    /** The user's EAR, as Maven built it. */
    @Deployment(testable = false)
    public static EnterpriseArchive ear() {
        File ear = new File(System.getProperty(EXAMPLE_EAR_PROPERTY, "target/orders.ear"));
        if (!ear.isFile()) {
            throw new IllegalStateException(ear + " does not exist: build it with the reactor (-am), see docs/deploy.md");
        }
        return ShrinkWrap.create(ZipImporter.class, "orders.ear").importFrom(ear).as(EnterpriseArchive.class);
    }

    /**
     * A web module of the deployment (the EAR has two: crew's at {@code /crew}, the user's at {@code /orders}); only
     * its scheme, host and port are used.
     */
    @ArquillianResource
    URL base;

    /** crew's modules run inside the user's application (its name is the user's EAR's), Redis and health UP. */
    @Test
    @Order(0)
    void crewsModulesRunInsideTheUsersEar(RedisServer redis) {
        JsonObject status = json(expect(200, get(api("v1/status"))));
        assertEquals("127.0.0.1:" + redis.port(), status.getString("target"), status.toString());
        assertEquals(KEY_PREFIX, status.getString("keyPrefix"), status.toString());
        JsonObject probe = json(expect(200, send("GET", api("v1/probe"), null, TestTokens.admin())));
        assertEquals("orders", probe.getString("application"), "java:app/AppName is the user's EAR: " + probe);
        assertEquals("crew-redis-ejb", probe.getString("module"), probe.toString());
        assertTrue(probe.getBoolean("ok"), probe.toString());
        assertEquals("UP", json(expect(200, get(health("/ready")))).getString("status"));
        assertEquals("UP", json(expect(200, get(health("/live")))).getString("status"));
    }

    /**
     * {@code POST /crew/.../queues/orders/tasks} with {@code price-order}: the built-in supervisor (crew's EJB module)
     * runs the user's {@code PriceOrderHandler} bean (the user's EJB module) and the result the user's code wrote is
     * readable; that code then enqueued a {@code ship-order} task, which the user's own worker ran.
     */
    @Test
    @Order(1)
    void aTaskEnqueuedOverHttpRunsInTheUsersHandler(RedisServer redis) {
        String id = enqueue(TENANT, "orders", "price-order", order("o-http", null), null);
        JsonObject task = awaitTask(TENANT, "orders", id, "SUCCEEDED");
        assertEquals(1, task.getInt("attempts"), task.toString());
        JsonObject result = task.getJsonObject("result");
        assertEquals("o-http", result.getString("orderId"), task.toString());
        assertEquals(0, result.getJsonNumber("total").bigDecimalValue().compareTo(new BigDecimal("7.85")),
                "3 x 1.25 + 1 x 4.10: " + task);

        String shipping = result.getString("shippingTask");
        JsonObject shipped = awaitTask(TENANT, "shipping", shipping, "SUCCEEDED");
        assertEquals("orders-shipping", shipped.getJsonObject("result").getString("shippedBy"), shipped.toString());
        JsonObject order = awaitOrder(redis, "o-http", o -> "SHIPPED".equals(o.getString("status")));
        assertEquals("7.85", order.getString("total"), order.toString());
        assertEquals(id, order.getString("pricingTask"), order.toString());
        assertEquals(shipping, order.getString("shippingTask"), order.toString());
        assertEquals(shipped.getJsonObject("result").getString("trackingId"), order.getString("trackingId"), order.toString());
        JsonObject noticed = awaitOrder(redis, "o-http", o -> o.containsKey("pricingNotice"));
        assertEquals("SUCCEEDED#1", noticed.getString("pricingNotice"),
                "the user's CDI observer (PricingNotices, EJB module) heard the TaskCompletion event: " + noticed);
        HttpResponse<String> otherTenant = send("GET", ordersApi("orders/o-http"), null, TestTokens.forTenant(OTHER_TENANT));
        assertEquals(404, otherTenant.statusCode(), "another tenant's token does not see it: " + otherTenant.body());
    }

    /** The user's own worker on its own queue runs a task enqueued over HTTP. */
    @Test
    @Order(2)
    void theUsersOwnWorkerRunsItsTasks() {
        String id = enqueue(TENANT, "shipping", "ship-order", "{\"orderId\":\"o-direct\"}", null);
        JsonObject task = awaitTask(TENANT, "shipping", id, "SUCCEEDED");
        assertEquals(1, task.getInt("attempts"), task.toString());
        JsonObject result = task.getJsonObject("result");
        assertEquals("o-direct", result.getString("orderId"), task.toString());
        assertEquals("orders-shipping", result.getString("shippedBy"), task.toString());
        assertTrue(result.getString("trackingId").startsWith("TRK-"), task.toString());
    }

    /**
     * {@code POST /crew/.../streams/orders/events} with {@code order.placed}: the user's observer
     * ({@code @Observes @FromStream("orders") @OfType("order.placed")}) gets it with its stream id and starts the
     * pipeline; the user's code publishes {@code order.priced} on the same stream.
     */
    @Test
    @Order(3)
    void anEventPublishedOverHttpReachesTheUsersObserver(RedisServer redis) {
        String token = TestTokens.forTenant(TENANT);
        HttpResponse<String> published = expect(201, send("POST", api("v1/tenants/" + TENANT + "/streams/orders/events"),
                "{\"type\":\"order.placed\",\"data\":" + order("o-event", null) + "}", token));
        String eventId = json(published).getString("id");

        JsonObject order = awaitOrder(redis, "o-event", o -> "SHIPPED".equals(o.getString("status")));
        assertEquals(eventId, order.getString("placedEvent"), "the observer saw the event published over HTTP: " + order);
        assertEquals("7.85", order.getString("total"), order.toString());

        HttpResponse<String> replay = expect(200, send("GET", api("v1/tenants/" + TENANT + "/streams/orders/events?after="
                + URLEncoder.encode(eventId, StandardCharsets.UTF_8)), null, token));
        List<JsonObject> after = array(replay.body()).getValuesAs(JsonObject.class);
        assertTrue(after.stream().anyMatch(e -> "order.priced".equals(e.getString("type"))
                && "o-event".equals(e.getJsonObject("data").getString("orderId"))), "order.priced published: " + after);
    }

    /**
     * The built-in supervisor claims only what a handler of this deployment serves on that queue. On the other
     * tenant's shipping queue (no user worker there) {@code ship-order} tasks wait: PENDING, no attempt, counted as
     * unclaimed, never failed or dead, while the supervisor demonstrably visits that queue (an {@code echo} task
     * enqueued after them runs). A {@code price-order} task on the tenant's shipping queue waits too: the user's
     * handler serves the orders queue only. A {@code ship-order} task held on the tenant's (paused) shipping queue
     * is pending but not unclaimed, its name served by the user's worker, which runs it once the queue resumes.
     */
    @Test
    @Order(4)
    void theBuiltInSupervisorNeverTouchesTheUsersOwnTasks() {
        List<String> waiting = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            waiting.add(enqueue(OTHER_TENANT, "shipping", "ship-order", "{\"orderId\":\"g-" + i + "\"}", null));
        }
        String stray = enqueue(TENANT, "shipping", "price-order", order("o-stray", null), null);
        String echoOther = enqueue(OTHER_TENANT, "shipping", "echo", "{\"after\":\"ship-order\"}", null);
        String echoOwn = enqueue(TENANT, "shipping", "echo", "{\"after\":\"price-order\"}", null);
        awaitTask(OTHER_TENANT, "shipping", echoOther, "SUCCEEDED");
        awaitTask(TENANT, "shipping", echoOwn, "SUCCEEDED");
        expect(200, send("POST", queueUrl(TENANT, "shipping") + "/pause", null, TestTokens.forTenant(TENANT)));
        String held = enqueue(TENANT, "shipping", "ship-order", "{\"orderId\":\"o-held\"}", null);
        sleep(Duration.ofSeconds(3)); // more rounds of the supervisor over both queues

        for (String id : waiting) {
            assertNeverClaimed(task(OTHER_TENANT, "shipping", id));
        }
        assertNeverClaimed(task(TENANT, "shipping", stray));
        assertNeverClaimed(task(TENANT, "shipping", held));

        JsonObject other = stats(OTHER_TENANT, "shipping");
        assertEquals(3, other.getInt("unclaimed"), other.toString());
        assertTrue(other.getJsonNumber("oldestUnclaimedAgeMillis").longValue() >= 3000, other.toString());
        assertEquals(3, byName(other, "ship-order").getInt("pending"), other.toString());
        assertFalse(byName(other, "ship-order").getBoolean("served"), "no worker serves it there: " + other);
        assertEquals(0, other.getInt("dead"), other.toString());
        assertEquals(0, other.getJsonNumber("failedAttemptsTotal").longValue(), other.toString());

        JsonObject own = stats(TENANT, "shipping");
        assertEquals(2, own.getInt("pending"), own.toString());
        assertEquals(1, own.getInt("unclaimed"), "only the price-order is unclaimed there: " + own);
        assertFalse(byName(own, "price-order").getBoolean("served"), own.toString());
        assertEquals(1, byName(own, "ship-order").getInt("pending"), own.toString());
        assertTrue(byName(own, "ship-order").getBoolean("served"), "the user's worker serves it: " + own);
        assertEquals(0, own.getInt("dead"), own.toString());
        assertEquals(0, own.getJsonNumber("failedAttemptsTotal").longValue(), own.toString());

        expect(200, send("POST", queueUrl(TENANT, "shipping") + "/resume", null, TestTokens.forTenant(TENANT)));
        JsonObject shipped = awaitTask(TENANT, "shipping", held, "SUCCEEDED");
        assertEquals("orders-shipping", shipped.getJsonObject("result").getString("shippedBy"), shipped.toString());
        assertNeverClaimed(task(TENANT, "shipping", stray));
    }

    /**
     * {@code @Timeout(5 s)} on the user's handler: a supplier that takes a minute is cut at the timeout, the attempt
     * fails with MicroProfile's {@code TimeoutException} (retried with backoff, then dead), each attempt ending about
     * the timeout after it started.
     */
    @Test
    @Order(5)
    void aFaultToleranceTimeoutFailsTheAttempt() {
        String id = enqueue(TENANT, "orders", "price-order", order("o-slow", 60_000L), 2);
        JsonObject dead = awaitTask(TENANT, "orders", id, "DEAD");
        assertEquals(2, dead.getInt("attempts"), dead.toString());
        assertTrue(dead.getString("lastError").startsWith("TimeoutException"), dead.toString());
        assertTrue(dead.getString("errorStack").startsWith("org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException"),
                "the attempt failed on the handler's @Timeout: " + dead);
        Duration attempt = Duration.between(Instant.parse(dead.getString("startedAt")),
                Instant.parse(dead.getString("finishedAt")));
        assertTrue(attempt.compareTo(HANDLER_TIMEOUT.minusMillis(200)) >= 0 && attempt.compareTo(Duration.ofSeconds(30)) < 0,
                "the last attempt ended at the timeout, not after the supplier's minute: " + attempt + " " + dead);
        JsonObject stats = stats(TENANT, "orders");
        assertEquals(2, stats.getJsonNumber("failedAttemptsTotal").longValue(), "two timed-out attempts: " + stats);
    }

    /**
     * {@code @Bulkhead} on the user's handler, its limit set by MicroProfile Config to {@value #BULKHEAD_LIMIT} (the
     * annotation says 4): twelve 1.5 s pricings of four tenants (the supervisor would run eight at once: two per
     * tenant) never run more than two at once; calls over the limit are refused and their tasks put back without
     * counting an attempt; every task succeeds on its one counted attempt and no attempt failed.
     */
    @Test
    @Order(6)
    void aBulkheadRefusesCallsOverTheLimitMicroProfileConfigSets() {
        List<String> tenants = List.of("ft1", "ft2", "ft3", "ft4");
        Map<String, List<String>> ids = new LinkedHashMap<>();
        for (String t : tenants) {
            for (int i = 1; i <= 3; i++) {
                ids.computeIfAbsent(t, k -> new ArrayList<>()).add(enqueue(t, "orders", "price-order",
                        order("o-" + t + "-" + i, 1_500L), null));
            }
        }
        int most = 0;
        int deferred = 0;
        for (Map.Entry<String, List<String>> e : ids.entrySet()) {
            for (String id : e.getValue()) {
                JsonObject done = awaitTask(e.getKey(), "orders", id, "SUCCEEDED");
                assertEquals(1, done.getInt("attempts"), "a refused call is not a counted attempt: " + done);
                assertTrue(!done.containsKey("lastError") || done.isNull("lastError"), done.toString());
                most = Math.max(most, done.getJsonObject("result").getInt("concurrentPricings"));
                // a task the bulkhead refused was given back SCHEDULED: its runAt moved past its creation
                if (Instant.parse(done.getString("runAt")).isAfter(Instant.parse(done.getString("createdAt")))) {
                    deferred++;
                }
            }
            JsonObject stats = stats(e.getKey(), "orders");
            assertEquals(0, stats.getJsonNumber("failedAttemptsTotal").longValue(), "no attempt failed: " + stats);
            assertEquals(0, stats.getInt("dead"), stats.toString());
        }
        assertEquals(BULKHEAD_LIMIT, most, "pricings at once: the configured bulkhead, reached and never passed");
        assertTrue(deferred > 0, "more calls than the limit were made, and the bulkhead refused some: " + deferred);
    }

    /**
     * The user's own endpoint, {@code @Timeout} + {@code @Fallback}: while Redis is down a read answers 503 with
     * {@code Retry-After} at once instead of an error; with Redis back (empty: the test's Redis restarts without
     * its data) it answers again, 404 for the order that went with the data.
     */
    @Test
    @Order(7)
    void theUsersEndpointFallsBackWhileRedisIsDown(RedisServer redis) {
        redis.stop();
        try {
            HttpResponse<String> down = send("GET", ordersApi("orders/o-http"), null, TestTokens.forTenant(TENANT));
            assertEquals(503, down.statusCode(), down.body());
            assertEquals(503, json(down).getInt("status"), down.body());
            assertEquals("1", down.headers().firstValue("Retry-After").orElse(null), down.headers().toString());
        } finally {
            redis.start();
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        HttpResponse<String> back;
        do {
            sleep(Duration.ofMillis(250));
            back = send("GET", ordersApi("orders/o-http"), null, TestTokens.forTenant(TENANT));
        } while (back.statusCode() != 404 && System.nanoTime() < deadline);
        assertEquals(404, back.statusCode(), "answers again once Redis is back: " + back.body());
    }

    // ---- helpers ----

    private static void assertNeverClaimed(JsonObject task) {
        assertEquals("PENDING", task.getString("state"), task.toString());
        assertEquals(0, task.getInt("attempts"), "never claimed: " + task);
        assertTrue(!task.containsKey("lastError") || task.isNull("lastError"), task.toString());
    }

    /** An order of two lines, total 7.85; {@code quoteMillis} is how long the supplier's quote takes (null: at once). */
    private static String order(String orderId, Long quoteMillis) {
        return "{\"orderId\":\"" + orderId + "\",\"lines\":[{\"sku\":\"pen\",\"quantity\":3,\"unitPrice\":1.25},"
                + "{\"sku\":\"pad\",\"quantity\":1,\"unitPrice\":4.10}]"
                + (quoteMillis == null ? "" : ",\"supplierQuoteMillis\":" + quoteMillis) + "}";
    }

    /** {@code POST .../tasks} over crew's HTTP API with the tenant's token; returns the task id. */
    private String enqueue(String tenant, String queue, String name, String payload, Integer maxAttempts) {
        String body = "{\"name\":\"" + name + "\",\"payload\":" + payload
                + (maxAttempts == null ? "" : ",\"maxAttempts\":" + maxAttempts) + "}";
        HttpResponse<String> r = expect(201, send("POST", queueUrl(tenant, queue) + "/tasks", body,
                TestTokens.forTenant(tenant)));
        return json(r).getString("id");
    }

    private JsonObject task(String tenant, String queue, String id) {
        return json(expect(200, send("GET", queueUrl(tenant, queue) + "/tasks/" + id, null, TestTokens.forTenant(tenant))));
    }

    private JsonObject stats(String tenant, String queue) {
        return json(expect(200, send("GET", queueUrl(tenant, queue), null, TestTokens.forTenant(tenant))));
    }

    private static JsonObject byName(JsonObject stats, String taskName) {
        return stats.getJsonArray("byTaskName").getValuesAs(JsonObject.class).stream()
                .filter(n -> taskName.equals(n.getString("taskName"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + taskName + " in byTaskName of " + stats));
    }

    /** Polls the task until it is in {@code state}; fails at once if it reaches another final state. */
    private JsonObject awaitTask(String tenant, String queue, String id, String state) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonObject t = null;
        while (System.nanoTime() < deadline) {
            t = task(tenant, queue, id);
            String now = t.getString("state");
            if (now.equals(state)) {
                return t;
            }
            if (List.of("SUCCEEDED", "DEAD", "CANCELLED").contains(now)) {
                throw new AssertionError("expected " + state + ", the task ended " + now + ": " + t);
            }
            sleep(Duration.ofMillis(250));
        }
        throw new AssertionError("not " + state + " within " + DEADLINE.toSeconds() + " s: " + t);
    }

    /**
     * Polls the user's {@code GET /orders/api/orders/{id}} (the order as the user's OrderService keeps it) with the
     * tenant's token until it matches; then checks the hash in Redis has the CACHE time to live.
     */
    private JsonObject awaitOrder(RedisServer redis, String orderId, Predicate<JsonObject> done) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send("GET", ordersApi("orders/" + orderId), null, TestTokens.forTenant(TENANT));
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && done.test(json(r))) {
                long ttl = redis.ttl(KEY_PREFIX + ":" + TENANT + ":orders:" + orderId);
                assertTrue(ttl > 0 && ttl <= 3600, "the order has the CACHE TTL, not " + ttl);
                return json(r);
            }
            sleep(Duration.ofMillis(250));
        }
        throw new AssertionError("order " + orderId + " not as expected within " + DEADLINE.toSeconds() + " s: " + last);
    }

    /** crew's HTTP API in the user's EAR: {@code http://host:port/crew/api/<path>}. */
    private String api(String path) {
        return serverRoot() + "/crew/api/" + path;
    }

    /** The user's own HTTP API: {@code http://host:port/orders/api/<path>}. */
    private String ordersApi(String path) {
        return serverRoot() + "/orders/api/" + path;
    }

    private String serverRoot() {
        return base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
    }

    private String queueUrl(String tenant, String queue) {
        return api("v1/tenants/" + tenant + "/queues/" + queue);
    }

    private static JsonArray array(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readArray();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
