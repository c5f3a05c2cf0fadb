package io.mcpcrew.crew.web.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.web.Http;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The task queue in the real WAR on Payara Micro: tasks enqueued over HTTP are run by the server's managed
 * workers (the {@code @Singleton @Startup} supervisor on the ManagedExecutorService with the built-in handlers),
 * and the API answers 400/404/409 as documented.
 */
@ExtendWith(RedisServerExtension.class) // before Arquillian: Redis is up when Micro starts
@ExtendWith(ArquillianExtension.class)
class TasksMicroIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar();
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
        assertBadRequest(Http.send("POST", tasks, "{\"name\":\"no-such-task\"}"), "no handler");
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

    static void assertBadRequest(HttpResponse<String> r, String mentions) {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains(mentions), "400 body should mention " + mentions + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }
}
