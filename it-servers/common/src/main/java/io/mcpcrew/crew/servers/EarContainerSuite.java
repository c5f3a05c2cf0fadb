package io.mcpcrew.crew.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.PrometheusText;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import io.mcpcrew.crew.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checks every full server must pass with the EAR Maven built ({@code ear-module/target/crew-redis.ear},
 * deployed unchanged): CDI injection of each component into an enterprise bean, the JAX-RS endpoints,
 * MicroProfile Config from environment variables, MicroProfile Health following Redis, MicroProfile OpenAPI.
 *
 * <p>Each server module has a one-line subclass and an {@code arquillian.xml}; the subclass runs every test here
 * on one server start. The private redis-server starts first (on the port Maven reserved, which the server gets
 * as {@code REDIS_CREW_PORT}); the key prefix comes from {@code REDIS_CREW_KEY_PREFIX=crewit}.
 *
 * <p>System properties (set by failsafe): {@value #EAR_PROPERTY} (the EAR file) and {@value #HEALTH_PROPERTY}
 * (the server's health root: Payara serves {@code /health} on its HTTP port, WildFly on its management port).
 *
 * <p>To add a component: one line in {@code ComponentProbe.probe} (EJB module) and one test method here,
 * {@code @Test void sessionsAreInjectedIntoTheEnterpriseBean(RedisServer redis)}, that reads
 * {@code component("sessions")} from the probe and checks what it did, in Redis through {@code redis} if it
 * wrote something.
 */
@ExtendWith(RedisServerExtension.class) // first: Redis is up before Arquillian starts the server and deploys
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class EarContainerSuite {
    public static final String EAR_PROPERTY = "crew.it.ear";
    public static final String HEALTH_PROPERTY = "crew.it.health";
    /** The key prefix the server gets from the environment (REDIS_CREW_KEY_PREFIX, failsafe). */
    protected static final String KEY_PREFIX = "crewit";
    /** The probe's reserved tenant (ComponentProbe.TENANT). */
    protected static final String TENANT = "crew-probe";
    /** How long a state change (Redis down, Redis back) may take to show: generous, the machine is shared. */
    private static final Duration STATE_CHANGE_DEADLINE = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The real EAR, as Maven built it: lib/ (core, Jedis), crew-redis-ejb.jar, crew-redis-web.war at /crew. */
    @Deployment(testable = false)
    public static EnterpriseArchive ear() {
        File ear = new File(System.getProperty(EAR_PROPERTY, "target/crew-redis.ear"));
        if (!ear.isFile()) {
            throw new IllegalStateException(ear + " does not exist: build it with the reactor (-am), see docs/deploy.md");
        }
        return ShrinkWrap.create(ZipImporter.class, "crew-redis.ear").importFrom(ear).as(EnterpriseArchive.class);
    }

    /** The web module's root, e.g. {@code http://127.0.0.1:21080/crew/}. */
    @ArquillianResource
    protected URL base;

    /** The probe writes to Redis: no token → 401, a tenant's token → 403, and neither writes anything. */
    @Test
    @Order(0)
    void probeIsForTheAdminGroupOnlyAndWritesNothingOtherwise(RedisServer redis) {
        HttpResponse<String> none = send("GET", api("v1/probe"), null, null);
        assertEquals(401, none.statusCode(), none.body());
        assertEquals(401, json(none).getInt("status"), none.body());
        HttpResponse<String> tenant = send("GET", api("v1/probe"), null, TestTokens.forTenant("acme"));
        assertEquals(403, tenant.statusCode(), tenant.body());
        assertEquals(403, json(tenant).getInt("status"), tenant.body());
        assertEquals(List.of(), redis.scanKeys("*" + TENANT + "*"), "a refused probe wrote nothing");
    }

    @Test
    @Order(1)
    void configurationComesFromTheEnvironment(RedisServer redis) {
        JsonObject status = json(expect(200, get(api("v1/status"))));
        assertEquals("127.0.0.1:" + redis.port(), status.getString("target"), "REDIS_CREW_HOST/PORT: " + status);
        assertEquals(KEY_PREFIX, status.getString("keyPrefix"), "REDIS_CREW_KEY_PREFIX: " + status);
        assertTrue(status.getBoolean("redisReachable"), status.toString());
        assertEquals("CLOSED", status.getJsonObject("breaker").getString("state"), status.toString());
    }

    @Test
    @Order(2)
    void enterpriseBeanRunsInTheEjbModuleOfTheEar() {
        JsonObject probe = probe(200);
        assertEquals("crew-redis", probe.getString("application"), probe.toString());
        assertEquals("crew-redis-ejb", probe.getString("module"), probe.toString());
        assertEquals(TENANT, probe.getString("tenant"), probe.toString());
        assertTrue(probe.getBoolean("ok"), probe.toString());
    }

    /** RedisManager (from lib/) injected into the EJB: a SET + GET round trip that lands in this test's Redis. */
    @Test
    @Order(3)
    void redisManagerIsInjectedIntoTheEnterpriseBean(RedisServer redis) {
        JsonObject c = component(probe(200), "redisManager");
        assertTrue(c.getBoolean("ok"), c.toString());
        assertTrue(c.getBoolean("roundTrip"), c.toString());
        String key = KEY_PREFIX + ":" + TENANT + ":probe:round-trip";
        assertEquals(key, c.getString("key"), c.toString());
        assertEquals(List.of(key), redis.scanKeys(KEY_PREFIX + ":" + TENANT + ":probe:*"));
        long ttl = redis.ttl(key);
        assertTrue(ttl > 0 && ttl <= 3600, "the probe key has the CACHE TTL (1 h), not " + ttl);
    }

    @Test
    @Order(4)
    void healthIsUp() {
        JsonObject ready = json(expect(200, get(health("/ready"))));
        assertEquals("UP", ready.getString("status"), ready.toString());
        JsonObject redisCheck = check(ready, "redis");
        assertEquals("UP", redisCheck.getString("status"), ready.toString());
        assertTrue(redisCheck.getJsonObject("data").containsKey("serverVersion"), ready.toString());
        expect(200, get(health("/live")));
        expect(200, get(health("/started")));
    }

    @Test
    @Order(5)
    void readinessAndProbeFollowRedisWithoutRedeploy(RedisServer redis) {
        redis.stop();
        try {
            JsonObject down = json(await(health("/ready"), 503));
            assertEquals("DOWN", down.getString("status"), down.toString());
            assertEquals("DOWN", check(down, "redis").getString("status"), down.toString());
            JsonObject probe = json(await(api("v1/probe"), TestTokens.admin(), 503));
            assertEquals(false, component(probe, "redisManager").getBoolean("ok"), probe.toString());
        } finally {
            redis.start();
        }
        JsonObject up = json(await(health("/ready"), 200));
        assertEquals("UP", up.getString("status"), up.toString());
        assertTrue(json(await(api("v1/probe"), TestTokens.admin(), 200)).getBoolean("ok"));
    }

    @Test
    @Order(6)
    void unknownPathsAnswerJsonErrors() {
        HttpResponse<String> r = expect(404, get(api("v1/no-such-resource")));
        assertEquals(404, json(r).getInt("status"), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    }

    @Test
    @Order(7)
    void openApiDocumentListsTheEndpoints() {
        HttpResponse<String> r = expect(200, get(serverRoot() + "/openapi"));
        assertTrue(r.body().contains("Crew Redis API"), r.body());
        assertTrue(r.body().contains("/v1/probe"), r.body());
    }

    @Test
    @Order(8)
    void everyComponentIsInjectedIntoTheEnterpriseBean() {
        JsonObject probe = probe(200);
        for (String name : List.of("taskQueue", "eventManager", "embeddingCache", "sessionManager", "rateLimiter")) {
            JsonObject c = component(probe, name);
            assertTrue(c.getBoolean("ok"), name + ": " + c);
        }
    }

    @Test
    @Order(8)
    void tenantResourcesNeedTheTenantsToken() {
        String url = api("v1/tenants/acme/whoami");
        HttpResponse<String> none = send("GET", url, null, null);
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.body().trim().startsWith("{"), "JSON error, not the server's page: " + none.body());
        assertEquals(401, send("GET", url, null, "not.a.token").statusCode());
        assertEquals(403, send("GET", url, null, TestTokens.forTenant("globex")).statusCode());
        HttpResponse<String> own = expect(200, send("GET", url, null, TestTokens.forTenant("acme")));
        assertEquals("acme", json(own).getString("tenant"), own.body());
        expect(200, send("GET", url, null, TestTokens.admin()));
    }

    @Test
    @Order(9)
    void everyComponentAnswersOverHttp() {
        String t = TestTokens.forTenant("acme");
        String tenant = api("v1/tenants/acme/");
        // sessions
        HttpResponse<String> created = expect(201, send("POST", tenant + "sessions",
                "{\"userId\":\"u1\",\"data\":{\"k\":\"v\"},\"ttlSeconds\":60}", t));
        String id = json(created).getString("id");
        assertTrue(expect(200, send("GET", tenant + "sessions/" + id, null, t)).body().contains("\"k\""));
        // embeddings
        expect(204, send("PUT", tenant + "embeddings/m1", "{\"items\":[{\"text\":\"hi\",\"vector\":[0.5,-1.0]}]}", t));
        assertTrue(expect(200, send("POST", tenant + "embeddings/m1/lookup", "{\"texts\":[\"hi\",\"no\"]}", t))
                .body().contains("null"));
        // rate limits
        assertTrue(expect(200, send("POST", tenant + "ratelimits/r1/check",
                "{\"maxRequests\":5,\"windowSeconds\":60,\"cost\":1}", t)).body().contains("\"allowed\":true"));
        // bad input is a JSON 400 on every server
        HttpResponse<String> bad = expect(400, send("POST", tenant + "ratelimits/r1/check",
                "{\"maxRequests\":-1,\"windowSeconds\":60}", t));
        assertEquals(400, json(bad).getInt("status"), bad.body());
    }

    /**
     * The listing API and the admin endpoints on this server (JAX-RS path matching differs between servers: the lists
     * at {@code /tenants/{t}/queues} and {@code /streams} sit beside the resources of one queue and one stream): what a
     * tenant wrote is listed, the admin group lists tenants and estimates memory, a tenant token gets 403 there.
     */
    @Test
    @Order(9)
    void theListingAndAdminEndpointsAnswer() {
        String t = TestTokens.forTenant("lister");
        String admin = TestTokens.admin();
        String tenant = api("v1/tenants/lister/");
        String id = json(expect(201, send("POST", tenant + "queues/jobs/tasks", "{\"name\":\"unserved\"}", t)))
                .getString("id");
        expect(201, send("POST", tenant + "streams/orders/events", "{\"type\":\"x\",\"data\":{}}", t));
        expect(204, send("PUT", tenant + "embeddings/m1", "{\"items\":[{\"text\":\"hi\",\"vector\":[0.5]}]}", t));
        assertTrue(expect(200, send("GET", tenant + "queues?stats=true", null, t)).body()
                .contains("{\"queue\":\"jobs\",\"stats\":{\"paused\":false,\"pending\":1"));
        JsonObject pending = json(expect(200, send("GET", tenant + "queues/jobs/tasks?state=pending", null, t)));
        assertEquals(id, pending.getJsonArray("tasks").getJsonObject(0).getString("id"), pending.toString());
        assertTrue(pending.isNull("nextCursor"), pending.toString());
        assertTrue(expect(200, send("GET", tenant + "streams", null, t)).body().contains("\"streams\":[\"orders\"]"));
        expect(200, send("GET", tenant + "streams/orders/groups", null, t));
        assertTrue(expect(200, send("GET", tenant + "embeddings", null, t)).body().contains("\"model\":\"m1\""));
        assertEquals(1, json(expect(200, send("GET", tenant + "embeddings/m1/entries", null, t))).getInt("entries"));
        expect(200, send("GET", tenant + "sessions", null, t));
        expect(200, send("GET", tenant + "ratelimits", null, t));
        HttpResponse<String> bad = expect(400, send("GET", tenant + "queues/jobs/tasks?state=done", null, t));
        assertTrue(json(bad).getString("message").contains("invalid state"), bad.body());

        assertTrue(expect(200, send("GET", api("v1/admin/tenants?limit=1000"), null, admin)).body().contains("\"lister\""));
        JsonObject memory = json(expect(200, send("GET", api("v1/admin/memory?tenant=lister"), null, admin)));
        assertEquals("lister", memory.getJsonArray("tenants").getJsonObject(0).getString("tenant"), memory.toString());
        assertTrue(memory.getJsonObject("cost").getInt("roundTrips") > 0, memory.toString());
        HttpResponse<String> forbidden = expect(403, send("GET", api("v1/admin/memory"), null, t));
        assertTrue(forbidden.body().contains("admin group"), forbidden.body());
        expect(403, send("GET", api("v1/tenants/other/queues"), null, t));
    }

    /**
     * What the server answers itself is the API's JSON error too: a raw {@code {x}} in a path segment (a malformed
     * request target, refused before JAX-RS runs; java.net.http will not send it, so it goes over a socket) and
     * an unknown path of the application.
     */
    @Test
    @Order(10)
    void theServersOwnErrorPagesAreJson() throws IOException {
        String prefix = base.getPath() + "api/v1/tenants/";
        for (String target : List.of(prefix + "{x}/embeddings/m1", prefix + "acme/embeddings/{x}", prefix + "a|b/whoami")) {
            String[] answer = raw("PUT", target, TestTokens.forTenant("acme"));
            int status = Integer.parseInt(answer[0]);
            assertTrue(status >= 400 && status < 500, target + " answered " + status + " " + answer[1]);
            assertTrue(answer[1].trim().startsWith("{\"") && answer[1].contains("\"status\":" + status),
                    target + ": JSON, not the server's page: " + answer[1]);
        }
        HttpResponse<String> unknown = expect(404, get(base + "no-such-page.html"));
        assertEquals(404, json(unknown).getInt("status"), unknown.body());
    }

    /**
     * Every thread the components start is the server's: the probe starts a worker of its own
     * ({@code startWorker(handler, 1)}) and a subscription, runs a task, and lists every {@code crew-} thread (and
     * any commons-pool evictor) with whether it is a {@code ManageableThread}. All must be, and the expected ones must
     * be there (the built-in workers' dispatcher, the probe worker's dispatcher and handler thread, the event
     * reader), so the check is never over an empty list.
     */
    @Test
    @Order(11)
    void everyThreadOfTheComponentsIsAManagedThreadOfTheServer() {
        JsonObject c = component(probe(200), "threads");
        List<String> names = new java.util.ArrayList<>();
        for (JsonObject t : c.getJsonArray("threads").getValuesAs(JsonObject.class)) {
            assertTrue(t.getBoolean("managed"), "not a thread of the server's ManagedThreadFactory: " + t + " in " + c);
            names.add(t.getString("name"));
        }
        String own = "crew-tasks-" + TENANT + "-probe-threads-";
        for (String expected : List.of("crew-task-workers-dispatcher-\\d+", own + "dispatcher-\\d+", own + "\\d+",
                "crew-events-" + TENANT + "-probe-threads-\\d+")) {
            assertTrue(names.stream().anyMatch(n -> n.matches(expected)), "no thread " + expected + " in " + c);
        }
        assertTrue(c.getString("handledOn").matches(own + "\\d+ managed=true"),
                "the handler ran on the worker's own managed pool: " + c);
        assertTrue(c.getBoolean("ok"), c.toString());
    }

    /**
     * {@code GET /crew/api/v1/metrics} of the EAR: the scrape group's token gets the Prometheus text of Crew's meters
     * (Micrometer and its Prometheus registry packaged in the EAR's lib/, whatever metrics the server has of its own);
     * a task run through the API and the built-in workers moves the task counters; readiness carries Redis memory.
     */
    @Test
    @Order(12)
    void metricsAreScrapedAndCountATaskRun() throws InterruptedException {
        String url = api("v1/metrics");
        expect(401, send("GET", url, null, null));
        expect(403, send("GET", url, null, TestTokens.forTenant("acme")));
        HttpResponse<String> first = expect(200, send("GET", url, null, TestTokens.scraper()));
        // Payara keeps the writer's "text/plain; version=0.0.4; charset=utf-8", WildFly drops the spaces
        assertTrue(first.headers().firstValue("Content-Type").orElse("").replace(" ", "")
                .startsWith("text/plain;version=0.0.4"), first.headers().toString());
        PrometheusText before = PrometheusText.parse(first.body());
        double enqueued = before.sum("crew_tasks_enqueued_total", "tenant", "acme", "queue", "metrics");
        double succeeded = before.sum("crew_tasks_attempts_total", "tenant", "acme", "queue", "metrics", "outcome",
                "succeeded");
        String t = TestTokens.forTenant("acme");
        String id = json(expect(201, send("POST", api("v1/tenants/acme/queues/metrics/tasks"),
                "{\"name\":\"echo\",\"payload\":{\"n\":1}}", t))).getString("id");
        assertTrue(expect(200, send("GET", api("v1/tenants/acme/queues/metrics/tasks/" + id + "?wait=30"), null, t))
                .body().contains("\"SUCCEEDED\""));
        PrometheusText after = before;
        long end = System.nanoTime() + 60_000_000_000L;
        while (after.sum("crew_tasks_attempts_total", "tenant", "acme", "queue", "metrics", "outcome", "succeeded")
                < succeeded + 1) {
            assertTrue(System.nanoTime() < end, "the success was not counted: " + after.find("crew_tasks_attempts_total"));
            Thread.sleep(100);
            after = PrometheusText.parse(expect(200, send("GET", url, null, TestTokens.scraper())).body());
        }
        assertEquals(enqueued + 1, after.value("crew_tasks_enqueued_total", "tenant", "acme", "queue", "metrics"));
        assertTrue(after.value("crew_tasks_handler_duration_seconds_count", "tenant", "acme", "queue", "metrics") >= 1);
        assertTrue(after.sum("crew_redis_memory_used_bytes") > 0, "the Redis memory gauge");
        assertEquals(1, after.value("crew_redis_breaker_state", "state", "closed"));
        JsonObject redisCheck = check(json(expect(200, get(health("/ready")))), "redis");
        assertTrue(redisCheck.getJsonObject("data").containsKey("usedMemoryBytes"), redisCheck.toString());
        assertEquals("noeviction", redisCheck.getJsonObject("data").getString("maxMemoryPolicy"), redisCheck.toString());
    }

    /**
     * The MCP endpoint ({@code /crew/mcp}, docs/mcp.md) in the EAR: no token → 401; a tenant's token opens a session,
     * {@code publish_event} appends to that tenant's stream (read back over the HTTP API), another tenant is refused;
     * the SDK runs on the Jackson of the EAR's {@code lib/}, not the server's ({@code GET /api/v1/mcp}, admin only).
     */
    @Test
    @Order(13)
    void anMcpToolRunsForTheTokensTenantOnTheEarsOwnLibraries() throws IOException {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"ear-suite\",\"version\":\"1\"}}}";
        HttpResponse<String> anonymous = mcp(init, null, null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        String token = TestTokens.forTenant("acme");
        HttpResponse<String> opened = expect(200, mcp(init, token, null));
        String session = opened.headers().firstValue("Mcp-Session-Id")
                .orElseThrow(() -> new AssertionError("no Mcp-Session-Id: " + opened.headers().map()));
        assertEquals("crew-redis", rpc(opened).getJsonObject("result").getJsonObject("serverInfo").getString("name"));
        expect(202, mcp("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", token, session));
        JsonObject result = rpc(expect(200, mcp("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"publish_event\",\"arguments\":{\"stream\":\"mcp\",\"type\":\"ear.suite\","
                + "\"data\":{\"via\":\"mcp\"}}}}", token, session))).getJsonObject("result");
        assertFalse(result.getBoolean("isError"), result.toString());
        String id = result.getJsonObject("structuredContent").getString("id");
        HttpResponse<String> events = expect(200, send("GET", api("v1/tenants/acme/streams/mcp/events"), null, token));
        assertTrue(events.body().contains("\"id\":\"" + id + "\"") && events.body().contains("\"via\":\"mcp\""), events.body());
        JsonObject refused = rpc(expect(200, mcp("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"publish_event\",\"arguments\":{\"tenant\":\"globex\",\"stream\":\"mcp\",\"type\":\"x\"}}}",
                token, session))).getJsonObject("result");
        assertTrue(refused.getBoolean("isError"), refused.toString());
        assertTrue(refused.getJsonArray("content").getJsonObject(0).getString("text").contains("\"status\":403"), refused.toString());
        HttpResponse<String> deleted = mcpDelete(token, session);
        assertEquals(200, deleted.statusCode(), deleted.body());

        JsonObject status = json(expect(200, send("GET", api("v1/mcp"), null, TestTokens.admin())));
        assertEquals(base.getPath() + "mcp", status.getString("path"), status.toString());
        assertEquals(14, status.getInt("tools"), status.toString());
        String json = status.getString("json");
        assertTrue(json.startsWith("jackson-databind 2.22.4 from ") && json.contains("jackson-databind-2.22.4.jar"),
                "the SDK must run on the EAR's Jackson, not the server's: " + json);
        expect(403, send("GET", api("v1/mcp"), null, token));
    }

    /** A JSON-RPC message POSTed to {@code /crew/mcp} (token and session: null for none). */
    private HttpResponse<String> mcp(String body, String token, String session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "mcp")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return exchange(b);
    }

    private HttpResponse<String> mcpDelete(String token, String session) {
        return exchange(HttpRequest.newBuilder(URI.create(base + "mcp")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Mcp-Session-Id", session).DELETE());
    }

    private static HttpResponse<String> exchange(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON-RPC message of an MCP answer: a JSON body, or the {@code data:} line of its SSE event. */
    private static JsonObject rpc(HttpResponse<String> r) {
        String body = r.body();
        for (String line : body.split("\n")) {
            if (line.startsWith("data:")) {
                body = line.substring(5).trim();
                break;
            }
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }

    /** Writes one HTTP/1.1 request with an unencoded target; returns the status and the (de-chunked) body. */
    private String[] raw(String method, String target, String token) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            String request = method + " " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: 2"
                    + "\r\nConnection: close\r\n\r\n{}";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String head = headersEnd < 0 ? response : response.substring(0, headersEnd);
            String body = headersEnd < 0 ? "" : response.substring(headersEnd + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                StringBuilder out = new StringBuilder();
                int i = 0;
                while (i < body.length()) {
                    int eol = body.indexOf("\r\n", i);
                    int size = eol < 0 ? 0 : Integer.parseInt(body.substring(i, eol).split(";")[0].trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
                    i = eol + 2 + size + 2;
                }
                body = out.toString();
            }
            return new String[] {head.split(" ")[1], body};
        }
    }

    // ---- helpers for the component tests ----

    /** A request with a JSON body (null: none) and a bearer token (null: none). */
    protected static HttpResponse<String> send(String method, String url, String json, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /crew/api/v1/probe} with an admin token (the probe writes: admin group only), expecting {@code status}. */
    protected JsonObject probe(int status) {
        return json(expect(status, send("GET", api("v1/probe"), null, TestTokens.admin())));
    }

    /** One component's report from a probe response; fails if the probe has no such component. */
    protected static JsonObject component(JsonObject probe, String name) {
        JsonObject components = probe.getJsonObject("components");
        assertTrue(components != null && components.containsKey(name), "no component '" + name + "' in " + probe);
        return components.getJsonObject(name);
    }

    /**
     * The operations console is served by the EAR's skinny WAR too: its page, its modules with a JavaScript type (a
     * browser refuses a module otherwise), uPlot unpacked from its WebJar (no jar in the skinny WAR), the
     * Content-Security-Policy, and the sign-in endpoint it calls.
     */
    @Test
    @Order(12)
    void theConsoleIsServedWithItsChartLibraryAndHeaders() {
        HttpResponse<String> page = expect(200, get(base + "console/"));
        assertTrue(page.body().contains("<title>Crew Redis console</title>"), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"),
                page.headers().map().toString());
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        for (String module : List.of("console/js/app.js", "console/js/pages/queue.js", "console/lib/uplot/uPlot.esm.js")) {
            HttpResponse<String> js = expect(200, get(base + module));
            assertTrue(js.headers().firstValue("Content-Type").orElse("").contains("javascript"),
                    module + ": " + js.headers().map());
        }
        assertTrue(get(base + "console/lib/uplot/uPlot.esm.js").body().contains("export { uPlot as default }"));
        expect(200, get(base + "console/lib/uplot/uPlot.min.css"));
        HttpResponse<String> admin = expect(200, send("GET", api("v1/whoami"), null, TestTokens.admin()));
        assertTrue(json(admin).getBoolean("admin"), admin.body());
        HttpResponse<String> tenant = expect(200, send("GET", api("v1/whoami"), null, TestTokens.forTenant("acme")));
        assertEquals("acme", json(tenant).getString("tenant"), tenant.body());
        assertEquals(false, json(tenant).getBoolean("admin"), tenant.body());
        expect(401, send("GET", api("v1/whoami"), null, null));
    }

    protected String api(String path) {
        return base + "api/" + path;
    }

    /** {@code http://host:port} of the deployment: /openapi (and Payara's /health) live there. */
    protected String serverRoot() {
        return base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
    }

    protected static String health(String path) {
        String root = System.getProperty(HEALTH_PROPERTY);
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property " + HEALTH_PROPERTY + " (the server's /health URL) is not set");
        }
        return root + path;
    }

    private static JsonObject check(JsonObject health, String name) {
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> name.equals(c.getString("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check '" + name + "' in " + health));
    }

    protected static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static HttpResponse<String> expect(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.request().uri() + " answered " + r.body());
        return r;
    }

    /** Polls {@code url} until it answers {@code status} (connection errors count as "not yet"). */
    protected static HttpResponse<String> await(String url, int status) {
        return await(url, null, status);
    }

    /** {@link #await(String, int)} with a bearer token (null: none). */
    protected static HttpResponse<String> await(String url, String token, int status) {
        long deadline = System.nanoTime() + STATE_CHANGE_DEADLINE.toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = token == null ? get(url) : send("GET", url, null, token);
                if (r.statusCode() == status) {
                    return r;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
            sleep(250);
        }
        throw new AssertionError("expected " + status + " from " + url + " within " + STATE_CHANGE_DEADLINE.toSeconds()
                + " s; last answer: " + last);
    }

    protected static JsonObject json(HttpResponse<String> r) {
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw new AssertionError(r.request().uri() + " did not answer a JSON object: " + r.body(), e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
