package io.mcpcrew.crew.web.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.testing.TestTokens;
import io.mcpcrew.crew.web.Http;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The MCP endpoint of the real WAR on Payara Micro against a private redis-server, driven by the MCP Java SDK's own
 * client (and, where the SDK's client has no call for it, by plain JSON-RPC over HTTP): initialize and the tool list,
 * every tool against the components and beside the HTTP API's answer for the same thing, errors with the HTTP API's
 * messages, 401, no tool reaching another tenant, the write budget, resources and a subscription, cancellation, the
 * session cap, the SDK's threads and JSON library, and the MCP Inspector's CLI through {@code scripts/mcp-inspector.sh}.
 */
@ExtendWith(RedisServerExtension.class) // before Arquillian: Redis is up when Micro starts
@ExtendWith(ArquillianExtension.class)
class McpMicroIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The tools, by name: read-only (true) or a write counted in api-writes (false). */
    private static final Map<String, Boolean> READ_ONLY = Map.ofEntries(Map.entry("enqueue_task", false),
            Map.entry("enqueue_flow", false), Map.entry("get_task", true), Map.entry("cancel_task", false),
            Map.entry("queue_stats", true), Map.entry("publish_event", false), Map.entry("read_events", true),
            Map.entry("store_embeddings", false), Map.entry("lookup_embeddings", true),
            Map.entry("create_session", false), Map.entry("get_session", true), Map.entry("update_session", false),
            Map.entry("list_user_sessions", true), Map.entry("check_rate_limit", false));
    /** The tools whose HTTP method is a write (counted in api-writes): lookup_embeddings is a POST. */
    private static final Set<String> WRITES = Set.of("enqueue_task", "enqueue_flow", "cancel_task", "publish_event",
            "store_embeddings", "lookup_embeddings", "create_session", "update_session", "check_rate_limit");

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar().addClass(McpThreadsProbe.class);
    }

    @ArquillianResource
    URL base;

    // ---- initialize and tools/list

    @Test
    void initializeAnswersTheServerAndListsEveryToolWithSchemasAndTruthfulAnnotations() {
        try (McpSyncClient c = client(TestTokens.forTenant("acme"), null)) {
            McpSchema.InitializeResult init = c.getCurrentInitializationResult();
            assertEquals("crew-redis", init.serverInfo().name());
            assertEquals("2025-11-25", init.protocolVersion());
            assertEquals(Boolean.TRUE, init.capabilities().resources().subscribe());
            assertNotNull(init.capabilities().tools());
            List<McpSchema.Tool> tools = c.listTools().tools();
            assertEquals(new TreeSet<>(READ_ONLY.keySet()), tools.stream().map(McpSchema.Tool::name)
                    .collect(Collectors.toCollection(TreeSet::new)));
            for (McpSchema.Tool t : tools) {
                assertEquals("object", t.inputSchema().get("type"), t.name());
                assertNotNull(t.outputSchema(), t.name() + " has no output schema");
                assertEquals("object", t.outputSchema().get("type"), t.name());
                assertTrue(t.description() != null && t.description().length() > 40, t.name());
                McpSchema.ToolAnnotations a = t.annotations();
                assertEquals(READ_ONLY.get(t.name()), a.readOnlyHint(), t.name() + " readOnlyHint");
                assertEquals(Boolean.FALSE, a.openWorldHint(), t.name());
                if (a.readOnlyHint()) {
                    assertEquals(Boolean.FALSE, a.destructiveHint(), t.name());
                    assertEquals(Boolean.TRUE, a.idempotentHint(), t.name());
                }
            }
            Map<String, McpSchema.ToolAnnotations> hints = tools.stream()
                    .collect(Collectors.toMap(McpSchema.Tool::name, McpSchema.Tool::annotations));
            assertEquals(Boolean.TRUE, hints.get("cancel_task").destructiveHint());
            assertEquals(Boolean.TRUE, hints.get("cancel_task").idempotentHint());
            assertEquals(Boolean.FALSE, hints.get("enqueue_task").idempotentHint());
            assertEquals(Boolean.FALSE, hints.get("enqueue_task").destructiveHint());
            assertEquals(Boolean.TRUE, hints.get("update_session").destructiveHint());
            assertEquals(Boolean.TRUE, hints.get("store_embeddings").idempotentHint());
            assertEquals(Boolean.FALSE, hints.get("check_rate_limit").idempotentHint());
            Map<String, Object> queue = props(tools, "enqueue_task");
            assertTrue(queue.containsKey("tenant") && queue.containsKey("queue") && queue.containsKey("payload"), queue.toString());
            assertEquals(List.of("queue", "name"), tools.stream().filter(t -> t.name().equals("enqueue_task")).findFirst()
                    .orElseThrow().inputSchema().get("required"));
        }
    }

    // ---- every tool, beside the HTTP API

    @Test
    void everyToolRunsTheComponentsForTheTokensTenantAndAnswersWhatTheHttpApiAnswers(RedisServer redis) throws Exception {
        String token = TestTokens.forTenant("acme");
        try (McpSyncClient c = client(token, null)) {
            // tasks: enqueue, wait for it, read it beside GET .../tasks/{id}
            JsonNode enqueued = ok(c, "enqueue_task", Map.of("queue", "mcp", "name", "echo", "payload",
                    Map.of("hello", "mcp", "n", 7), "priority", "high"));
            String id = enqueued.get("id").asText();
            JsonNode task = ok(c, "get_task", Map.of("queue", "mcp", "id", id, "wait", 20));
            assertEquals("SUCCEEDED", redis.command("HGET", "crewit:acme:tasks:{acme.mcp}:task:" + id, "state"),
                    "the task record is in the tenant's keys");
            assertEquals("SUCCEEDED", task.get("state").asText(), task.toString());
            assertEquals("mcp", task.get("result").get("hello").asText());
            assertEquals("HIGH", task.get("priority").asText());
            assertEquals(JSON.readTree(Http.get(base + "api/v1/tenants/acme/queues/mcp/tasks/" + id).body()), task,
                    "get_task answers what GET .../tasks/{id} answers");

            // cancel: a delayed task, twice (idempotent), then a finished one (409)
            String delayed = ok(c, "enqueue_task", Map.of("queue", "mcp", "name", "echo", "delaySeconds", 3600))
                    .get("id").asText();
            assertEquals("CANCELLED", ok(c, "cancel_task", Map.of("queue", "mcp", "id", delayed)).get("state").asText());
            assertEquals("CANCELLED", ok(c, "cancel_task", Map.of("queue", "mcp", "id", delayed)).get("state").asText());
            JsonNode conflict = error(c, "cancel_task", Map.of("queue", "mcp", "id", id));
            assertEquals(409, conflict.get("status").asInt());
            assertEquals("task " + id + " is SUCCEEDED: only PENDING, SCHEDULED or FAILED tasks can be cancelled",
                    conflict.get("message").asText());

            JsonNode stats = ok(c, "queue_stats", Map.of("queue", "mcp"));
            assertEquals("acme", stats.get("tenant").asText());
            assertEquals(1, stats.get("cancelledTotal").asInt(), stats.toString());
            assertEquals(1, stats.get("succeededTotal").asInt(), stats.toString());
            assertEquals(JSON.readTree(Http.get(base + "api/v1/tenants/acme/queues/mcp").body()), stats);

            JsonNode flow = ok(c, "enqueue_flow", Map.of("queue", "mcp", "parent", Map.of("name", "echo", "payload", "p"),
                    "children", List.of(Map.of("name", "echo", "payload", 1), Map.of("name", "echo", "payload", 2))));
            assertEquals(2, flow.get("childIds").size());
            JsonNode parent = ok(c, "get_task", Map.of("queue", "mcp", "id", flow.get("parentId").asText(), "wait", 30));
            assertEquals("SUCCEEDED", parent.get("state").asText(), parent.toString());
            assertEquals(2, parent.get("children").size());

            // events: publish, read after an id, beside GET .../events
            String first = ok(c, "publish_event", Map.of("stream", "orders", "type", "order.created",
                    "data", Map.of("sku", "A-1"), "correlationId", "c-1")).get("id").asText();
            String second = ok(c, "publish_event", Map.of("stream", "orders", "type", "order.paid",
                    "data", Map.of("sku", "A-1", "amount", 12.5))).get("id").asText();
            JsonNode read = ok(c, "read_events", Map.of("stream", "orders", "after", first));
            assertEquals(1, read.get("events").size(), read.toString());
            assertEquals(second, read.get("events").get(0).get("id").asText());
            assertEquals(12.5, read.get("events").get(0).get("data").get("amount").asDouble());
            assertFalse(read.get("truncated").asBoolean());
            assertEquals(second, read.get("next").asText());
            assertEquals(JSON.readTree(Http.get(base + "api/v1/tenants/acme/streams/orders/events?after=" + first).body()),
                    read.get("events"));
            assertEquals(":2", redis.command("XLEN", "crewit:acme:events:{acme.orders}"));

            // embeddings: float32 exactly both ways (-0, a subnormal, the largest float), beside the HTTP lookup
            float[] v = {0.1f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -1.5e-7f};
            List<Object> vector = new ArrayList<>();
            for (float f : v) {
                vector.add(f); // the client writes each as a float32's text ("-0.0", "1.4E-45")
            }
            assertEquals(2, ok(c, "store_embeddings", Map.of("model", "text-embedding-3-small", "items", List.of(
                    Map.of("text", "hello", "vector", vector), Map.of("text", "world", "vector", vector)))).get("stored").asInt());
            JsonNode found = ok(c, "lookup_embeddings", Map.of("model", "text-embedding-3-small",
                    "texts", List.of("hello", "nothing", "world")));
            assertEquals(2, found.get("hits").asInt());
            assertTrue(found.get("vectors").get(1).isNull());
            for (int i = 0; i < v.length; i++) {
                float got = Float.parseFloat(found.get("vectors").get(0).get(i).asText());
                assertEquals(Float.floatToIntBits(v[i]), Float.floatToIntBits(got), "component " + i + ": " + found);
            }
            HttpResponse<String> viaHttp = Http.send("POST", base + "api/v1/tenants/acme/embeddings/text-embedding-3-small/lookup",
                    "{\"texts\":[\"hello\",\"nothing\",\"world\"]}");
            assertEquals(JSON.readTree(viaHttp.body()).get("vectors"), found.get("vectors"));

            // sessions: create, read, merge, list
            String session = ok(c, "create_session", Map.of("userId", "alice", "data", Map.of("cart", 3, "theme", "dark"),
                    "ttlSeconds", 600)).get("id").asText();
            JsonNode s = ok(c, "get_session", Map.of("id", session));
            assertEquals("alice", s.get("userId").asText());
            assertEquals(3, s.get("data").get("cart").asInt());
            assertEquals(600, s.get("ttlSeconds").asInt());
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put("cart", 4);
            changes.put("theme", null);
            JsonNode updated = ok(c, "update_session", Map.of("id", session, "changes", changes));
            assertEquals(4, updated.get("data").get("cart").asInt());
            assertFalse(updated.get("data").has("theme"), updated.toString());
            assertEquals(JSON.readTree(Http.get(base + "api/v1/tenants/acme/sessions/" + session).body()).get("data"),
                    updated.get("data"));
            JsonNode list = ok(c, "list_user_sessions", Map.of("userId", "alice"));
            assertTrue(list.get("sessions").findValuesAsText("id").contains(session), list.toString());

            // rate limit: an exact window of 2, the third refused (an answer, not an error)
            Map<String, Object> check = Map.of("resource", "llm-calls", "maxRequests", 2, "windowSeconds", 60);
            assertTrue(ok(c, "check_rate_limit", check).get("allowed").asBoolean());
            assertEquals(0, ok(c, "check_rate_limit", check).get("remaining").asInt());
            JsonNode refused = ok(c, "check_rate_limit", check);
            assertFalse(refused.get("allowed").asBoolean(), refused.toString());
            assertTrue(refused.get("retryAfterMillis").asLong() > 0, refused.toString());
        }
    }

    // ---- errors: the HTTP API's status and message

    @Test
    void badInputIsAToolErrorWithTheHttpApisStatusAndMessage() throws Exception {
        String api = base + "api/v1/tenants/acme/";
        try (McpSyncClient c = client(TestTokens.forTenant("acme"), null)) {
            String done = ok(c, "enqueue_task", Map.of("queue", "errs", "name", "echo")).get("id").asText();
            assertEquals("SUCCEEDED", ok(c, "get_task", Map.of("queue", "errs", "id", done, "wait", 20)).get("state").asText());
            sameError(c, "enqueue_task", Map.of("queue", "errs", "name", "echo", "priority", "urgent"),
                    "POST", api + "queues/errs/tasks", "{\"name\":\"echo\",\"priority\":\"urgent\"}");
            sameError(c, "enqueue_task", Map.of("queue", "errs"), "POST", api + "queues/errs/tasks", "{}");
            sameError(c, "enqueue_task", Map.of("queue", "errs", "name", "echo", "maxAttempts", 0),
                    "POST", api + "queues/errs/tasks", "{\"name\":\"echo\",\"maxAttempts\":0}");
            sameError(c, "enqueue_task", Map.of("queue", "errs", "name", "echo", "delaySeconds", 1.5),
                    "POST", api + "queues/errs/tasks", "{\"name\":\"echo\",\"delaySeconds\":1.5}");
            sameError(c, "enqueue_task", Map.of("queue", "bad queue!", "name", "echo"),
                    "POST", api + "queues/" + URLEncoder.encode("bad queue!", StandardCharsets.UTF_8).replace("+", "%20")
                            + "/tasks", "{\"name\":\"echo\"}");
            sameError(c, "get_task", Map.of("queue", "errs", "id", done, "wait", 61),
                    "GET", api + "queues/errs/tasks/" + done + "?wait=61", null);
            sameError(c, "get_task", Map.of("queue", "errs", "id", "0123456789abcdef0123456789abcdef"),
                    "GET", api + "queues/errs/tasks/0123456789abcdef0123456789abcdef", null);
            sameError(c, "cancel_task", Map.of("queue", "errs", "id", done), "DELETE", api + "queues/errs/tasks/" + done, null);
            sameError(c, "publish_event", Map.of("stream", "errs", "data", 1), "POST", api + "streams/errs/events",
                    "{\"data\":1}");
            sameError(c, "read_events", Map.of("stream", "errs", "limit", 0), "GET", api + "streams/errs/events?limit=0", null);
            sameError(c, "read_events", Map.of("stream", "never-written"), "GET", api + "streams/never-written/events", null);
            sameError(c, "store_embeddings", Map.of("model", "m", "items", List.of(Map.of("text", "a", "vector", List.of("x")))),
                    "PUT", api + "embeddings/m", "{\"items\":[{\"text\":\"a\",\"vector\":[\"x\"]}]}");
            sameError(c, "store_embeddings", Map.of("model", "m", "items", List.of(Map.of("text", "a",
                            "vector", List.of(new java.math.BigDecimal("1e39"))))),
                    "PUT", api + "embeddings/m", "{\"items\":[{\"text\":\"a\",\"vector\":[1E+39]}]}"); // the text the client sent
            sameError(c, "create_session", Map.of("userId", "bob", "ttlSeconds", 0), "POST", api + "sessions",
                    "{\"userId\":\"bob\",\"ttlSeconds\":0}");
            sameError(c, "get_session", Map.of("id", "bob.nope"), "GET", api + "sessions/bob.nope", null);
            sameError(c, "update_session", Map.of("id", "bob.nope", "changes", Map.of("a", 1)), "PATCH",
                    api + "sessions/bob.nope", "{\"a\":1}");
            sameError(c, "check_rate_limit", Map.of("resource", "llm", "cost", 0), "POST", api + "ratelimits/llm/check",
                    "{\"cost\":0}");
            // an argument nested deeper than redis.crew.http.max-json-depth: the body guard's 400
            Object deep = 1;
            for (int i = 0; i < 40; i++) {
                deep = List.of(deep);
            }
            JsonNode tooDeep = error(c, "publish_event", Map.of("stream", "errs", "type", "t", "data", deep));
            assertEquals(400, tooDeep.get("status").asInt());
            assertEquals("JSON body nested deeper than 32 levels (redis.crew.http.max-json-depth)",
                    tooDeep.get("message").asText());
            JsonNode changesMissing = error(c, "update_session", Map.of("id", "bob.nope"));
            assertTrue(changesMissing.get("message").asText().startsWith("field \"changes\" is required"), changesMissing.toString());
            // an unknown tool is a JSON-RPC error of the protocol, not a tool error
            Exception unknown = assertThrows(Exception.class, () -> c.callTool(new McpSchema.CallToolRequest("drop_all", Map.of())));
            assertTrue(String.valueOf(unknown.getMessage()).contains("Unknown tool"), unknown.toString());
        }
    }

    // ---- authentication

    @Test
    void withoutAValidTokenTheEndpointAnswers401AndOpensNoSession() throws Exception {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}";
        for (String token : new String[] {null, "not.a.token", TestTokens.expired("acme")}) {
            HttpResponse<String> r = post(init, token, null);
            assertEquals(401, r.statusCode(), token + ": " + r.body());
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().map().toString());
            assertTrue(r.headers().firstValue("Mcp-Session-Id").isEmpty());
            assertEquals(401, JSON.readTree(r.body()).get("status").asInt(), r.body());
        }
        HttpResponse<String> get = send(HttpRequest.newBuilder(mcp()).header("Accept", "text/event-stream").GET());
        assertEquals(401, get.statusCode());
        HttpResponse<String> delete = send(HttpRequest.newBuilder(mcp()).header("Mcp-Session-Id", "x").DELETE());
        assertEquals(401, delete.statusCode());
        // the SDK's client gets no session either
        HttpClientStreamableHttpTransport anonymous = HttpClientStreamableHttpTransport.builder(Http.root(base))
                .endpoint(base.getPath() + "mcp").build();
        try (McpSyncClient c = McpClient.sync(anonymous).requestTimeout(Duration.ofSeconds(10)).build()) {
            assertThrows(RuntimeException.class, c::initialize);
        }
    }

    // ---- tenants

    @Test
    void noToolOrResourceReachesAnotherTenant() throws Exception {
        try (McpSyncClient acme = client(TestTokens.forTenant("acme"), null)) {
            JsonNode refused = error(acme, "enqueue_task", Map.of("tenant", "globex", "queue", "q", "name", "echo"));
            assertEquals(403, refused.get("status").asInt());
            assertEquals("this token is for tenant \"acme\", not \"globex\" (claim 'tenant'; group 'crew-admin' may act"
                    + " on any tenant)", refused.get("message").asText());
            for (String tool : READ_ONLY.keySet()) {
                JsonNode e = error(acme, tool, Map.of("tenant", "globex", "queue", "q", "stream", "s", "model", "m",
                        "id", "x", "userId", "u", "resource", "r", "name", "echo", "type", "t"));
                assertEquals(403, e.get("status").asInt(), tool + ": " + e);
            }
            assertEquals(400, error(acme, "queue_stats", Map.of("tenant", "a:b", "queue", "q")).get("status").asInt());
            // naming its own tenant is allowed
            String id = ok(acme, "enqueue_task", Map.of("tenant", "acme", "queue", "iso", "name", "echo", "delaySeconds", 600))
                    .get("id").asText();
            // the same id in another tenant's queue is another task: unknown there
            try (McpSyncClient globex = client(TestTokens.forTenant("globex"), null)) {
                assertEquals(404, error(globex, "get_task", Map.of("queue", "iso", "id", id)).get("status").asInt());
                assertEquals(404, error(globex, "cancel_task", Map.of("queue", "iso", "id", id)).get("status").asInt());
            }
            assertEquals("SCHEDULED", ok(acme, "get_task", Map.of("queue", "iso", "id", id)).get("state").asText());
            // resources: another tenant's are refused, the own are read
            Exception other = assertThrows(Exception.class,
                    () -> acme.readResource(new McpSchema.ReadResourceRequest("crew://tenants/globex/queues/iso")));
            assertTrue(String.valueOf(other.getMessage()).contains("not \"globex\""), other.toString());
            Exception sub = assertThrows(Exception.class,
                    () -> acme.subscribeResource(new McpSchema.SubscribeRequest("crew://tenants/globex/streams/s")));
            assertTrue(String.valueOf(sub.getMessage()).contains("not \"globex\""), sub.toString());
        }
        // an admin token names the tenant of each call; without one, 400
        try (McpSyncClient admin = client(TestTokens.admin(), null)) {
            JsonNode missing = error(admin, "queue_stats", Map.of("queue", "q"));
            assertEquals(400, missing.get("status").asInt());
            assertTrue(missing.get("message").asText().startsWith("field \"tenant\" is required"), missing.toString());
            String id = ok(admin, "enqueue_task", Map.of("tenant", "globex", "queue", "adm", "name", "echo")).get("id").asText();
            HttpResponse<String> viaHttp = Http.get(base + "api/v1/tenants/globex/queues/adm/tasks/" + id + "?wait=20");
            assertEquals(200, viaHttp.statusCode(), viaHttp.body());
            assertTrue(viaHttp.body().contains("\"tenant\":\"globex\""), viaHttp.body());
        }
        // a session belongs to the token that opened it: another tenant's token cannot use it
        Raw acme = new Raw(TestTokens.forTenant("acme"));
        HttpResponse<String> hijack = post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}",
                TestTokens.forTenant("globex"), acme.session);
        assertEquals(404, hijack.statusCode(), hijack.body());
        HttpResponse<String> sameTenantOtherSubject = post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}",
                TestTokens.admin(), acme.session);
        assertEquals(404, sameTenantOtherSubject.statusCode(), sameTenantOtherSubject.body());
        assertEquals(200, acme.call("tools/list", Map.of()).statusCode(), "the owner still uses it");
        acme.close();
    }

    // ---- the write budget

    /**
     * Every tool, for a fresh tenant whose {@code api-writes} budget is 2 per hour (the policy PUT is the first
     * unit): a tool whose HTTP method is a write is admitted once and refused next with the HTTP API's 429 message;
     * a read is never refused.
     */
    @Test
    void everyWriteToolIsCountedInTheTenantsWriteBudgetAndNoReadIs() throws Exception {
        List<String> failures = new ArrayList<>();
        int i = 0;
        String enqueueTenant = null;
        try (McpSyncClient admin = client(TestTokens.admin(), null)) {
            for (String tool : READ_ONLY.keySet()) {
                String tenant = "mcpbudget" + (i++);
                if (tool.equals("enqueue_task")) {
                    enqueueTenant = tenant;
                }
                HttpResponse<String> set = Http.send("PUT", base + "api/v1/tenants/" + tenant + "/ratelimits/api-writes/policy",
                        "{\"maxRequests\":2,\"windowSeconds\":3600}");
                assertEquals(200, set.statusCode(), set.body());
                Map<String, Object> args = Map.of("tenant", tenant, "queue", "b", "name", "echo", "stream", "b",
                        "type", "t", "model", "m", "texts", List.of("a"), "userId", "u", "resource", "r", "id", "x");
                JsonNode first = result(admin, tool, args);
                JsonNode second = result(admin, tool, args);
                boolean firstRefused = first.path("status").asInt() == 429;
                boolean secondRefused = second.path("status").asInt() == 429 && second.path("message").asText()
                        .startsWith("rate limit exceeded for resource 'api-writes' of tenant '" + tenant + "': 2 per 3600s;");
                if (firstRefused || secondRefused != WRITES.contains(tool)) {
                    failures.add(tool + ": " + first + " then " + second);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        // and the HTTP API refuses the tenant's writes too: one budget
        HttpResponse<String> viaHttp = Http.send("POST", base + "api/v1/tenants/" + enqueueTenant + "/queues/b/tasks",
                "{\"name\":\"echo\"}");
        assertEquals(429, viaHttp.statusCode(), viaHttp.body());
    }

    // ---- resources and subscriptions

    @Test
    void resourcesAreReadAndAStreamSubscriptionIsToldOfAppendedEvents() throws Exception {
        List<McpSchema.ResourceContents> updates = new CopyOnWriteArrayList<>();
        try (McpSyncClient c = client(TestTokens.forTenant("acme"), updates::addAll)) {
            Set<String> templates = c.listResourceTemplates().resourceTemplates().stream()
                    .map(McpSchema.ResourceTemplate::uriTemplate).collect(Collectors.toSet());
            assertEquals(Set.of("crew://tenants/{tenant}/queues/{queue}", "crew://tenants/{tenant}/streams/{stream}"), templates);
            ok(c, "enqueue_task", Map.of("queue", "res", "name", "echo", "delaySeconds", 600));
            JsonNode stats = JSON.readTree(text(c.readResource(new McpSchema.ReadResourceRequest("crew://tenants/acme/queues/res"))));
            assertEquals(1, stats.get("scheduled").asInt(), stats.toString());
            Exception none = assertThrows(Exception.class,
                    () -> c.readResource(new McpSchema.ReadResourceRequest("crew://tenants/acme/streams/nothing-yet")));
            assertTrue(String.valueOf(none.getMessage()).contains("does not exist"), none.toString());

            Http.send("POST", base + "api/v1/tenants/acme/streams/watched/events", "{\"type\":\"a\"}");
            String uri = "crew://tenants/acme/streams/watched";
            assertEquals(1, JSON.readTree(text(c.readResource(new McpSchema.ReadResourceRequest(uri)))).get("length").asInt());
            Exception queueSub = assertThrows(Exception.class,
                    () -> c.subscribeResource(new McpSchema.SubscribeRequest("crew://tenants/acme/queues/res")));
            assertTrue(String.valueOf(queueSub.getMessage()).contains("only stream resources"), queueSub.toString());
            c.subscribeResource(new McpSchema.SubscribeRequest(uri));
            // an event appended over HTTP (any node or service would do): the subscription is told within seconds
            Http.send("POST", base + "api/v1/tenants/acme/streams/watched/events", "{\"type\":\"b\"}");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (updates.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertFalse(updates.isEmpty(), "no notifications/resources/updated for " + uri);
            McpSchema.TextResourceContents got = (McpSchema.TextResourceContents) updates.get(0);
            assertEquals(uri, got.uri());
            assertEquals(2, JSON.readTree(got.text()).get("length").asInt(), got.text());
            c.unsubscribeResource(new McpSchema.UnsubscribeRequest(uri));
        }
    }

    // ---- cancellation

    @Test
    void aCancelledCallStopsWaitingAtOnce() throws Exception {
        try (Raw raw = new Raw(TestTokens.forTenant("acme"))) {
            JsonNode enqueued = raw.tool("enqueue_task", Map.of("queue", "cancel", "name", "echo", "delaySeconds", 600));
            String id = enqueued.get("structuredContent").get("id").asText();
            long start = System.nanoTime();
            CompletableFuture<HttpResponse<String>> waiting = raw.callAsync(77, "tools/call",
                    Map.of("name", "get_task", "arguments", Map.of("queue", "cancel", "id", id, "wait", 60)));
            Thread.sleep(1000);
            assertFalse(waiting.isDone(), "the call waits for the task");
            HttpResponse<String> cancel = raw.notify("notifications/cancelled", Map.of("requestId", 77, "reason", "enough"));
            assertEquals(202, cancel.statusCode(), cancel.body());
            HttpResponse<String> answer = waiting.get(20, TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds < 30, "the wait ended after " + seconds + " s, not when cancelled");
            JsonNode result = Raw.message(answer.body()).get("result");
            assertTrue(result.get("isError").asBoolean(), answer.body());
            assertEquals(499, JSON.readTree(result.get("content").get(0).get("text").asText()).get("status").asInt());
            // the session goes on
            assertEquals("SCHEDULED", raw.tool("get_task", Map.of("queue", "cancel", "id", id))
                    .get("structuredContent").get("state").asText());
        }
    }

    // ---- sessions

    /** {@code REDIS_CREW_MCP_MAX_SESSIONS_PER_TENANT} is 4 in this build (failsafe): the fifth is refused, a DELETE frees one. */
    @Test
    void sessionsAreCappedPerTenantAndADeleteClosesOne() throws Exception {
        String token = TestTokens.forTenant("capped");
        List<Raw> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(new Raw(token));
            }
            HttpResponse<String> refused = post(Raw.INIT, token, null);
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            assertTrue(refused.body().contains("redis.crew.mcp.max-sessions-per-tenant"), refused.body());
            // other tenants are not affected
            try (Raw other = new Raw(TestTokens.forTenant("uncapped"))) {
                assertEquals(200, other.call("ping", Map.of()).statusCode());
            }
            Raw first = open.remove(0);
            first.close();
            HttpResponse<String> gone = first.call("tools/list", Map.of());
            assertEquals(404, gone.statusCode(), "a deleted session is unknown: " + gone.body());
            open.add(new Raw(token));
        } finally {
            for (Raw r : open) {
                r.close();
            }
        }
    }

    // ---- the SDK inside the server

    @Test
    void theSdkRunsOnItsOwnJacksonAndOnManagedThreadsOfCrew() throws Exception {
        JsonNode probe = JSON.readTree(Http.get(base + "api/v1/test/mcp-threads").body());
        String jackson = probe.get("jackson").asText();
        assertTrue(jackson.startsWith("jackson-databind 2.22.4 from ") && jackson.contains("/WEB-INF/lib/jackson-databind-2.22.4.jar"),
                "the SDK must use the WAR's Jackson, not the server's: " + jackson);
        List<String> reactorOwn = new ArrayList<>();
        List<String> crewReactor = new ArrayList<>();
        for (JsonNode t : probe.get("threads")) {
            String name = t.get("name").asText();
            if (name.startsWith("parallel-") || name.startsWith("boundedElastic-") || name.startsWith("single-")
                    || name.startsWith("streamable-http-server-transport") || name.startsWith("reactor-")) {
                reactorOwn.add(name);
            }
            if (name.startsWith("crew-mcp-reactor-")) {
                crewReactor.add(name + (t.get("managed").asBoolean() ? "" : " (NOT MANAGED)"));
            }
        }
        assertEquals(List.of(), reactorOwn, "threads of Reactor's own pools");
        assertTrue(crewReactor.stream().anyMatch(n -> n.startsWith("crew-mcp-reactor-single-")), crewReactor.toString());
        assertTrue(crewReactor.stream().noneMatch(n -> n.endsWith("(NOT MANAGED)")), crewReactor.toString());
        // the admin status of the endpoint says the same, and is for the admin group only
        HttpResponse<String> status = Http.get(base + "api/v1/mcp", TestTokens.admin());
        assertEquals(200, status.statusCode(), status.body());
        JsonNode s = JSON.readTree(status.body());
        assertEquals(base.getPath() + "mcp", s.get("path").asText());
        assertEquals(14, s.get("tools").asInt());
        assertEquals(jackson, s.get("json").asText());
        assertEquals("MCP Java SDK 2.2.0", s.get("sdk").asText());
        assertEquals(4, s.get("maxSessionsPerTenant").asInt());
        assertEquals(403, Http.get(base + "api/v1/mcp", TestTokens.forTenant("acme")).statusCode());
        assertEquals(401, Http.get(base + "api/v1/mcp", null).statusCode());
    }

    // ---- a third-party client

    /** {@code scripts/mcp-inspector.sh}: the MCP Inspector's CLI lists the tools and runs enqueue_task and get_task. */
    @Test
    void theMcpInspectorCliListsTheToolsAndRunsATask() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        Path script = module.getParent().resolve("scripts/mcp-inspector.sh");
        assertTrue(Files.isRegularFile(script), script + " is missing");
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            assertTrue(node.waitFor(30, TimeUnit.SECONDS) && node.exitValue() == 0, "node --version failed");
        } catch (IOException e) {
            fail("node is not installed: the MCP Inspector test needs Node.js 20+ and npm (apt-get install -y nodejs npm;"
                    + " .ci/run installs them when missing): " + e.getMessage());
        }
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), base + "mcp").redirectErrorStream(true);
        pb.environment().put("TOKEN", TestTokens.forTenant("inspector"));
        pb.environment().put("MCP_INSPECTOR_DIR", module.resolve("target/mcp-inspector").toString());
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the Inspector script did not end in 5 minutes");
        String output = out.get(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("state SUCCEEDED") && output.contains("mcp-inspector: ok"), output);
    }

    // ---- helpers

    private URI mcp() {
        return URI.create(base + "mcp");
    }

    /** An initialized SDK client with {@code token}; {@code updates} hears resource updates (null: none). */
    private McpSyncClient client(String token, Consumer<List<McpSchema.ResourceContents>> updates) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(Http.root(base))
                .endpoint(base.getPath() + "mcp")
                .httpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + token))
                .build();
        McpClient.SyncSpec spec = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(70));
        if (updates != null) {
            spec.resourcesUpdateConsumer(updates);
        }
        McpSyncClient c = spec.build();
        c.initialize();
        return c;
    }

    private static Map<String, Object> props(List<McpSchema.Tool> tools, String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) tools.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow().inputSchema().get("properties");
        return p;
    }

    /** The structured result of a call that must succeed; its text content is the same JSON. */
    private static JsonNode ok(McpSyncClient c, String tool, Map<String, Object> args) throws IOException {
        McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest(tool, args));
        assertFalse(Boolean.TRUE.equals(r.isError()), tool + " " + args + ": " + r);
        JsonNode structured = JSON.valueToTree(r.structuredContent());
        assertEquals(structured, JSON.readTree(((McpSchema.TextContent) r.content().get(0)).text()), tool);
        return structured;
    }

    /** The error body {@code {"status","error","message"}} of a call that must fail. */
    private static JsonNode error(McpSyncClient c, String tool, Map<String, Object> args) throws IOException {
        McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest(tool, args));
        assertTrue(Boolean.TRUE.equals(r.isError()), tool + " " + args + " should fail: " + r);
        return JSON.readTree(((McpSchema.TextContent) r.content().get(0)).text());
    }

    /** The structured result, or the error body. */
    private static JsonNode result(McpSyncClient c, String tool, Map<String, Object> args) throws IOException {
        McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest(tool, args));
        return Boolean.TRUE.equals(r.isError()) ? JSON.readTree(((McpSchema.TextContent) r.content().get(0)).text())
                : JSON.valueToTree(r.structuredContent());
    }

    /** The tool fails with the status and message the HTTP API answers for the same request. */
    private static void sameError(McpSyncClient c, String tool, Map<String, Object> args, String method, String url,
            String body) throws IOException {
        JsonNode mcp = error(c, tool, args);
        HttpResponse<String> http = "GET".equals(method) ? Http.get(url) : Http.send(method, url, body);
        JsonNode expected = JSON.readTree(http.body());
        assertTrue(http.statusCode() >= 400, method + " " + url + ": " + http.body());
        assertEquals(http.statusCode(), mcp.get("status").asInt(), tool + " " + args + ": " + mcp + " vs " + http.body());
        assertEquals(expected.get("message").asText(), mcp.get("message").asText(), tool + " " + args);
    }

    private static String text(McpSchema.ReadResourceResult r) {
        return ((McpSchema.TextResourceContents) r.contents().get(0)).text();
    }

    private HttpResponse<String> post(String body, String token, String session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(mcp()).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return send(b);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An MCP session spoken as plain JSON-RPC over HTTP, for what the SDK's client has no call for. */
    private final class Raw implements AutoCloseable {
        static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
        final String token;
        final String session;
        private int ids = 100;

        Raw(String token) {
            this.token = token;
            HttpResponse<String> init = post(INIT, token, null);
            assertEquals(200, init.statusCode(), init.body());
            session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            assertEquals(202, notify("notifications/initialized", null).statusCode());
        }

        HttpResponse<String> call(String method, Map<String, Object> params) {
            return post(body(ids++, method, params), token, session);
        }

        JsonNode tool(String name, Map<String, Object> args) throws IOException {
            HttpResponse<String> r = call("tools/call", Map.of("name", name, "arguments", args));
            assertEquals(200, r.statusCode(), r.body());
            return message(r.body()).get("result");
        }

        CompletableFuture<HttpResponse<String>> callAsync(int id, String method, Map<String, Object> params) {
            HttpRequest r = HttpRequest.newBuilder(mcp()).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream").header("Authorization", "Bearer " + token)
                    .header("Mcp-Session-Id", session).timeout(Duration.ofSeconds(90))
                    .POST(HttpRequest.BodyPublishers.ofString(body(id, method, params))).build();
            return HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> notify(String method, Map<String, Object> params) {
            return post(body(null, method, params), token, session);
        }

        private String body(Integer id, String method, Map<String, Object> params) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jsonrpc", "2.0");
            if (id != null) {
                m.put("id", id);
            }
            m.put("method", method);
            if (params != null) {
                m.put("params", params);
            }
            try {
                return JSON.writeValueAsString(m);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The JSON-RPC message of an answer: plain JSON, or the {@code data:} line of an SSE event. */
        static JsonNode message(String body) throws IOException {
            for (String line : body.split("\n")) {
                if (line.startsWith("data:")) {
                    return JSON.readTree(line.substring(5).trim());
                }
            }
            return JSON.readTree(body);
        }

        @Override
        public void close() {
            send(HttpRequest.newBuilder(mcp()).header("Authorization", "Bearer " + token)
                    .header("Mcp-Session-Id", session).DELETE());
        }
    }
}
