package io.mcpcrew.crew.web.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.testing.TestTokens;
import io.mcpcrew.crew.web.Http;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The listing API and the admin endpoints in the real WAR on Payara Micro, against a private redis-server: what a
 * tenant wrote is listed page by page (tasks by state with cursors, queues with counts, streams with groups, models
 * with entry counts, session counts, stored policies); the admin group lists tenants and estimates memory; a tenant
 * token cannot list another tenant or use an admin endpoint (403 JSON), no token is a 401 JSON, and bad query values
 * are 400 JSON naming the parameter and the rule.
 */
@ExtendWith(RedisServerExtension.class) // before Arquillian: Redis is up when Micro starts
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ListingHttpIT {
    private static final String TENANT = "lst";

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar();
    }

    @ArquillianResource
    URL base;

    private String api(String path) {
        return base + "api/v1" + path;
    }

    private String tenant(String path) {
        return api("/tenants/" + TENANT + path);
    }

    static JsonObject json(HttpResponse<String> r) {
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject();
        }
    }

    static JsonObject ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    /** A 4xx answer with the API's JSON error body whose message holds every fragment. */
    static void assertError(int status, HttpResponse<String> r, String... fragments) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        String message = json(r).getString("message");
        for (String f : fragments) {
            assertTrue(message.contains(f), "message '" + message + "' should hold '" + f + "'");
        }
    }

    /** Every item of a listing, following nextCursor. */
    List<JsonValue> walk(String url, String items, Function<String, HttpResponse<String>> get) {
        List<JsonValue> out = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            String u = cursor == null ? url : url + (url.contains("?") ? "&" : "?") + "cursor=" + enc(cursor);
            JsonObject page = ok(get.apply(u));
            out.addAll(page.getJsonArray(items));
            if (page.isNull("nextCursor")) {
                return out;
            }
            cursor = page.getString("nextCursor");
        }
        throw new AssertionError("no last page of " + url);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static List<String> strings(List<JsonValue> values, String field) {
        return values.stream().map(v -> field == null ? ((jakarta.json.JsonString) v).getString()
                : v.asJsonObject().getString(field)).toList();
    }

    @Test
    @Order(1)
    void tasksOfAQueueByStateWithCursorsAndTheQueuesOfATenant() throws Exception {
        List<String> ids = new ArrayList<>();
        // a name no worker serves: the tasks stay pending
        for (String priority : List.of("low", "normal", "high", "critical", "normal", "high", "low")) {
            HttpResponse<String> r = Http.send("POST", tenant("/queues/jobs/tasks"),
                    "{\"name\":\"unserved\",\"payload\":{},\"priority\":\"" + priority + "\"}");
            assertEquals(201, r.statusCode(), r.body());
            ids.add(json(r).getString("id"));
        }
        assertEquals(201, Http.send("POST", tenant("/queues/later/tasks"),
                "{\"name\":\"unserved\",\"delaySeconds\":3600}").statusCode());

        List<JsonValue> pending = walk(tenant("/queues/jobs/tasks?state=pending&limit=3"), "tasks", Http::get);
        // claim order: CRITICAL, HIGH (oldest first), NORMAL, LOW
        assertEquals(List.of(ids.get(3), ids.get(2), ids.get(5), ids.get(1), ids.get(4), ids.get(0), ids.get(6)),
                strings(pending, "id"));
        JsonObject first = pending.get(0).asJsonObject();
        assertEquals("CRITICAL", first.getString("priority"));
        assertEquals("PENDING", first.getString("state"));
        assertEquals("unserved", first.getString("name"));
        assertTrue(first.isNull("lease") && first.isNull("startedAt") && !first.isNull("createdAt"), first.toString());
        JsonObject page = ok(Http.get(tenant("/queues/jobs/tasks?state=PENDING&limit=3")));
        assertEquals("PENDING", page.getString("state"));
        assertEquals(3, page.getJsonArray("tasks").size());
        assertEquals(1, ok(Http.get(tenant("/queues/later/tasks?state=scheduled"))).getJsonArray("tasks").size());

        // a running task shows its lease and the process that holds it
        HttpResponse<String> sleeping = Http.send("POST", tenant("/queues/naps/tasks"),
                "{\"name\":\"sleep\",\"payload\":{\"ms\":10000}}");
        assertEquals(201, sleeping.statusCode(), sleeping.body());
        JsonObject lease = null;
        for (long until = System.nanoTime() + 60_000_000_000L; lease == null && System.nanoTime() < until;) {
            JsonArray running = ok(Http.get(tenant("/queues/naps/tasks?state=running"))).getJsonArray("tasks");
            if (running.isEmpty()) {
                Thread.sleep(100);
            } else {
                lease = running.getJsonObject(0).getJsonObject("lease");
            }
        }
        assertNotNull(lease, "the sleep task never showed as running");
        assertFalse(lease.isNull("holder"), lease.toString());
        assertTrue(lease.getString("token").startsWith(lease.getString("holder") + "."), lease.toString());
        assertNotNull(java.time.Instant.parse(lease.getString("expiresAt")));

        JsonObject queues = ok(Http.get(tenant("/queues?stats=true&limit=2")));
        assertEquals(List.of("jobs", "later"), strings(new ArrayList<>(queues.getJsonArray("queues")), "queue"));
        assertEquals(7, queues.getJsonArray("queues").getJsonObject(0).getJsonObject("stats").getInt("pending"));
        assertEquals(List.of("jobs", "later", "naps"), strings(walk(tenant("/queues?limit=1"), "queues", Http::get),
                "queue"));

        // bad inputs: 400 naming the parameter and the rule
        assertError(400, Http.get(tenant("/queues/jobs/tasks")), "state is required", "pending, scheduled");
        assertError(400, Http.get(tenant("/queues/jobs/tasks?state=done")), "invalid state \"done\"", "must be one of");
        assertError(400, Http.get(tenant("/queues/jobs/tasks?state=succeeded")), "invalid state");
        assertError(400, Http.get(tenant("/queues/jobs/tasks?state=pending&limit=501")), "invalid limit 501",
                "from 1 to 500");
        assertError(400, Http.get(tenant("/queues/jobs/tasks?state=pending&cursor=not-a-cursor")),
                "invalid cursor \"not-a-cursor\"", "nextCursor");
        String pendingCursor = ok(Http.get(tenant("/queues/jobs/tasks?state=pending&limit=1"))).getString("nextCursor");
        assertError(400, Http.get(tenant("/queues/jobs/tasks?state=dead&cursor=" + enc(pendingCursor))),
                "invalid cursor", "tasks-dead list");
        assertError(400, Http.get(tenant("/queues?stats=yes")), "invalid stats \"yes\"", "true or false");
        assertError(400, Http.get(tenant("/queues?stats=true&limit=101")), "invalid limit 101", "from 1 to 100");
        assertError(400, Http.get(tenant("/queues/a:b/tasks?state=pending")), "invalid queue name");
    }

    @Test
    @Order(2)
    void streamsGroupsModelsSessionsAndPoliciesOfATenant(RedisServer redis) {
        for (String stream : List.of("orders", "audit")) {
            assertEquals(201, Http.send("POST", tenant("/streams/" + stream + "/events"),
                    "{\"type\":\"order.created\",\"data\":{}}").statusCode());
        }
        assertEquals(List.of("audit", "orders"), strings(walk(tenant("/streams?limit=1"), "streams", Http::get), null));
        assertEquals("+OK", redis.command("XGROUP", "CREATE", "crewit:lst:events:{lst.orders}", "billing", "0"));
        JsonObject groups = ok(Http.get(tenant("/streams/orders/groups")));
        JsonObject billing = groups.getJsonArray("groups").getJsonObject(0);
        assertEquals("billing", billing.getString("name"));
        assertEquals(1, billing.getInt("lag"));
        assertEquals(0, billing.getInt("pending"));
        assertEquals(0, billing.getInt("consumerCount"));
        assertError(404, Http.get(tenant("/streams/nothing/groups")), "does not exist");
        assertError(400, Http.get(tenant("/streams/orders/groups?consumers=1001")), "invalid consumers 1001");

        assertEquals(204, Http.send("PUT", tenant("/embeddings/BAAI/bge-small-en-v1.5"),
                "{\"items\":[{\"text\":\"a\",\"vector\":[1.0,2.0]},{\"text\":\"b\",\"vector\":[3.0,4.0]}]}").statusCode());
        JsonObject models = ok(Http.get(tenant("/embeddings")));
        assertEquals("BAAI/bge-small-en-v1.5", models.getJsonArray("models").getJsonObject(0).getString("model"));
        assertEquals(2, models.getJsonArray("models").getJsonObject(0).getInt("dimension"));
        JsonObject entries = ok(Http.get(tenant("/embeddings/BAAI/bge-small-en-v1.5/entries")));
        assertEquals(2, entries.getInt("entries"));
        assertTrue(entries.getBoolean("complete"), entries.toString());
        assertTrue(entries.getInt("roundTrips") >= 2, entries.toString());
        assertError(400, Http.get(tenant("/embeddings/m/entries?maxScanCalls=0")), "invalid maxScanCalls 0",
                "from 1 to 100000");

        for (String user : List.of("ann", "ann", "ben")) {
            assertEquals(201, Http.send("POST", tenant("/sessions"), "{\"userId\":\"" + user + "\",\"data\":{}}")
                    .statusCode());
        }
        JsonObject counts = ok(Http.get(tenant("/sessions")));
        assertEquals(2, counts.getInt("users"));
        assertEquals(3, counts.getInt("sessions"));
        assertTrue(counts.getBoolean("complete"));
        assertError(400, Http.get(tenant("/sessions?maxUsers=0")), "invalid maxUsers 0");

        assertEquals(200, Http.send("PUT", tenant("/ratelimits/llm/policy"), "{\"maxRequests\":5,\"windowSeconds\":30}")
                .statusCode());
        assertEquals(200, Http.send("PUT", tenant("/ratelimits/default/policy"), "{\"limits\":[{\"name\":\"tpm\","
                + "\"algorithm\":\"token-bucket\",\"max\":1000,\"windowSeconds\":60,\"burst\":2000}]}").statusCode());
        List<JsonValue> policies = walk(tenant("/ratelimits?limit=1"), "policies", Http::get);
        assertEquals(List.of("default", "llm"), strings(policies, "resource"));
        JsonObject llm = policies.get(1).asJsonObject();
        assertTrue(llm.getBoolean("valid"));
        assertEquals(5, llm.getInt("maxRequests"));
        assertEquals("token-bucket", policies.get(0).asJsonObject().getJsonArray("limits").getJsonObject(0)
                .getString("algorithm"));
        assertError(400, Http.get(tenant("/ratelimits?cursor=%21")), "invalid cursor");
    }

    @Test
    @Order(3)
    void adminListsTenantsAndEstimatesMemory() {
        String admin = TestTokens.admin();
        List<String> tenants = strings(walk(api("/admin/tenants?limit=2"), "tenants", u -> Http.get(u, admin)), null);
        assertTrue(tenants.contains(TENANT), tenants.toString());
        assertEquals(tenants.stream().sorted().toList(), tenants);
        assertEquals(tenants.size(), ok(Http.get(api("/admin/tenants"), admin)).getInt("total"));

        JsonObject all = ok(Http.get(api("/admin/memory?samples=100000&usageSamples=0"), admin));
        assertTrue(all.getJsonObject("scan").getBoolean("complete"), all.toString());
        assertTrue(all.getJsonObject("total").getJsonNumber("bytes").longValue() > 0, all.toString());
        assertEquals(0, all.getJsonObject("total").getInt("standardError")); // every key measured
        assertTrue(all.getJsonObject("cost").getInt("roundTrips") >= 4, all.toString());
        assertEquals(1, all.getJsonArray("nodes").size());
        JsonObject one = ok(Http.get(api("/admin/memory?tenant=" + TENANT + "&samples=10&maxScanCalls=5"), admin));
        assertEquals(TENANT, one.getString("tenant"));
        assertEquals(List.of(TENANT), strings(new ArrayList<>(one.getJsonArray("tenants")), "tenant"));
        JsonObject lst = one.getJsonArray("tenants").getJsonObject(0);
        assertTrue(lst.getJsonArray("components").stream().map(c -> c.asJsonObject().getString("name")).toList()
                .containsAll(List.of("tasks", "events", "embeddings", "sessions", "ratelimit-policy")), lst.toString());
        assertTrue(one.getJsonObject("sampling").getInt("samples") <= 10, one.toString());

        assertError(400, Http.get(api("/admin/memory?samples=0"), admin), "invalid samples 0", "from 1 to 100000");
        assertError(400, Http.get(api("/admin/memory?maxScanCalls=100001"), admin), "invalid maxScanCalls 100001");
        assertError(400, Http.get(api("/admin/memory?tenant=a:b"), admin), "invalid tenant id");
        assertError(400, Http.get(api("/admin/tenants?limit=abc"), admin), "invalid limit \"abc\"");
        assertError(400, Http.get(api("/admin/tenants?cursor=Zm9v"), admin), "invalid cursor");
    }

    @Test
    @Order(4)
    void aTenantTokenSeesItsOwnListingsOnlyAndNoAdminEndpoint() {
        String own = TestTokens.forTenant(TENANT);
        String other = TestTokens.forTenant("globex");
        for (String path : List.of("/queues", "/queues/jobs/tasks?state=pending", "/streams", "/streams/orders/groups",
                "/embeddings", "/embeddings/m/entries", "/sessions", "/ratelimits")) {
            HttpResponse<String> mine = Http.get(tenant(path), own);
            assertEquals(200, mine.statusCode(), path + " " + mine.body());
            assertError(403, Http.get(tenant(path), other), "this token is for tenant \"globex\", not \"lst\"");
            assertError(401, Http.get(tenant(path), null), "bearer token");
            assertEquals(200, Http.get(tenant(path), TestTokens.admin()).statusCode(), path);
        }
        for (String path : List.of("/admin/tenants", "/admin/memory")) {
            assertError(403, Http.get(api(path), own), "admin group");
            assertError(401, Http.get(api(path), null), "bearer token");
        }
    }
}
