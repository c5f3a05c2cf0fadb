package io.mcpcrew.crew.web.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.web.Http;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The events API in the real WAR on Payara Micro, against a private redis-server: publish and replay over HTTP,
 * errors, the SSE stream with Last-Event-ID resume, and the CDI bridge reaching an observer bean of the deployment.
 */
@ExtendWith(RedisServerExtension.class) // before Arquillian: Redis is up when Micro starts
@ExtendWith(ArquillianExtension.class)
class EventsDeploymentIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar()
                .addClasses(CdiProbe.class, CdiProbeResource.class);
    }

    @ArquillianResource
    URL base;

    private String streams(String tenant) {
        return base + "api/v1/tenants/" + tenant + "/streams/";
    }

    private String publish(String tenant, String stream, String json) {
        HttpResponse<String> r = Http.send("POST", streams(tenant) + stream + "/events", json);
        assertEquals(201, r.statusCode(), r.body());
        return object(r.body()).getString("id");
    }

    static JsonObject object(String json) {
        return jakarta.json.Json.createReader(new StringReader(json)).readObject();
    }

    static JsonArray array(String json) {
        return jakarta.json.Json.createReader(new StringReader(json)).readArray();
    }

    @Test
    void publishReplayInfoAndErrors() {
        String id1 = publish("web", "orders", "{\"type\":\"order.created\",\"data\":{\"sku\":\"A-1\",\"qty\":2},"
                + "\"priority\":\"high\",\"correlationId\":\"req-1\"}");
        String id2 = publish("web", "orders", "{\"type\":\"order.paid\",\"data\":[1,2,3]}");

        HttpResponse<String> all = Http.get(streams("web") + "orders/events");
        assertEquals(200, all.statusCode(), all.body());
        JsonArray events = array(all.body());
        assertEquals(2, events.size());
        JsonObject first = events.getJsonObject(0);
        assertEquals(id1, first.getString("id"));
        assertEquals("order.created", first.getString("type"));
        assertEquals("high", first.getString("priority"));
        assertEquals("req-1", first.getString("correlationId"));
        assertEquals("web", first.getString("tenant"));
        assertEquals("A-1", first.getJsonObject("data").getString("sku"));
        assertEquals(3, events.getJsonObject(1).getJsonArray("data").size());

        JsonArray after = array(Http.get(streams("web") + "orders/events?after=" + id1 + "&limit=10").body());
        assertEquals(1, after.size());
        assertEquals(id2, after.getJsonObject(0).getString("id"));

        HttpResponse<String> info = Http.get(streams("web") + "orders");
        assertEquals(200, info.statusCode(), info.body());
        assertEquals(2, object(info.body()).getInt("length"));
        assertEquals(0, object(info.body()).getInt("deadLetters"));

        assertError(404, Http.get(streams("web") + "never-written"), "never-written");
        assertError(404, Http.get(streams("web") + "never-written/events"), "never-written");
        assertError(400, Http.send("POST", streams("web") + "orders/events", "{\"data\":1}"), "type");
        assertError(400, Http.send("POST", streams("web") + "orders/events", "{\"type\":\"a b\"}"), "a b");
        assertError(400, Http.send("POST", streams("web") + "orders/events", "{\"type\":"), "JSON");
        assertError(400, Http.send("POST", streams("web") + "bad.name/events", "{\"type\":\"x\"}"), "bad.name");
        assertError(400, Http.send("POST", base + "api/v1/tenants/bad%20tenant/streams/s/events", "{\"type\":\"x\"}"),
                "tenant");
        assertError(400, Http.get(streams("web") + "orders/events?after=nope"), "nope");
        assertError(400, Http.get(streams("web") + "orders/events?limit=0"), "limit");
    }

    @Test
    void publishingWhileRedisIsDownIsAcceptedAndWrittenWhenItReturns(RedisServer redis) throws Exception {
        redis.stop();
        HttpResponse<String> r;
        try {
            r = Http.send("POST", streams("web") + "outage/events", "{\"type\":\"alert\",\"data\":{\"n\":1}}");
        } finally {
            redis.start();
        }
        assertEquals(202, r.statusCode(), r.body());
        assertTrue(object(r.body()).getBoolean("buffered"), r.body());
        JsonArray replayed = null;
        for (int i = 0; i < 600; i++) {
            HttpResponse<String> g = Http.get(streams("web") + "outage/events");
            if (g.statusCode() == 200) {
                replayed = array(g.body());
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(1, replayed == null ? 0 : replayed.size(), "the buffered event was not written after Redis returned");
        assertEquals("alert", replayed.getJsonObject(0).getString("type"));
        assertEquals(1, replayed.getJsonObject(0).getJsonObject("data").getInt("n"));
    }

    private static void assertError(int status, HttpResponse<String> r, String mentioned) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains(mentioned), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    }

    /** An open SSE connection whose events (id, type) arrive on a queue. */
    static final class SseClient implements AutoCloseable {
        final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;

        SseClient(String url, String lastEventId) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + Http.tokenFor(url)).GET();
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            response = CLIENT.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
            response.thenAccept(r -> {
                Thread t = new Thread(() -> {
                    String id = null;
                    String type = null;
                    try (Stream<String> lines = r.body()) {
                        for (String line : (Iterable<String>) lines::iterator) {
                            if (line.startsWith("id:")) {
                                id = line.substring(3).trim();
                            } else if (line.startsWith("event:")) {
                                type = line.substring(6).trim();
                            } else if (line.isEmpty() && id != null) {
                                events.add(new String[] {id, type});
                                id = null;
                                type = null;
                            }
                        }
                    } catch (RuntimeException closed) {
                        // the test closed the connection
                    }
                }, "sse-client");
                t.setDaemon(true);
                t.start();
            });
        }

        String[] next() throws InterruptedException {
            String[] e = events.poll(60, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no SSE event within 60 s");
            }
            return e;
        }

        int status() throws Exception {
            return response.get(60, TimeUnit.SECONDS).statusCode();
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }

    @Test
    void sseDeliversPublishedEventsAndResumesWithLastEventId() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(publish("web", "feed", "{\"type\":\"tick\",\"data\":" + i + "}"));
        }
        String lastSeen;
        try (SseClient sse = new SseClient(streams("web") + "feed/sse?after=" + ids.get(0), null)) {
            assertEquals(ids.get(1), sse.next()[0]);
            String[] third = sse.next();
            assertEquals(ids.get(2), third[0]);
            assertEquals("tick", third[1]);
            assertEquals(200, sse.status());
            ids.add(publish("web", "feed", "{\"type\":\"tock\",\"data\":3}")); // live
            String[] live = sse.next();
            assertEquals(ids.get(3), live[0]);
            assertEquals("tock", live[1]);
            lastSeen = live[0];
        }
        // published while the client is away
        ids.add(publish("web", "feed", "{\"type\":\"tick\",\"data\":4}"));
        ids.add(publish("web", "feed", "{\"type\":\"tick\",\"data\":5}"));
        try (SseClient sse = new SseClient(streams("web") + "feed/sse", lastSeen)) {
            assertEquals(ids.get(4), sse.next()[0]);
            assertEquals(ids.get(5), sse.next()[0]);
            ids.add(publish("web", "feed", "{\"type\":\"tick\",\"data\":6}"));
            assertEquals(ids.get(6), sse.next()[0]);
        }
        HttpResponse<String> bad = Http.send(HttpRequest.newBuilder(URI.create(streams("web") + "feed/sse"))
                .header("Last-Event-ID", "garbage").GET());
        assertEquals(400, bad.statusCode(), bad.body());
    }

    @Test
    void bridgedEventsReachCdiObserversByStreamAndType() throws Exception {
        HttpResponse<String> bridged = Http.send("POST", base + "api/v1/test/cdi-probe?tenant=web&stream=cdi-probe", null);
        assertEquals(200, bridged.statusCode(), bridged.body());
        String agent = publish("web", "cdi-probe", "{\"type\":\"agent\",\"data\":{\"agent\":\"a1\"}}");
        String task = publish("web", "cdi-probe", "{\"type\":\"task\",\"data\":{}}");
        publish("web", "other-stream", "{\"type\":\"agent\",\"data\":{}}");
        JsonObject seen = null;
        for (int i = 0; i < 600; i++) {
            seen = object(Http.get(base + "api/v1/test/cdi-probe").body());
            if (seen.getJsonArray("fromStream").size() >= 2) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(List.of(agent + " agent web", task + " task web"),
                seen.getJsonArray("fromStream").getValuesAs(jakarta.json.JsonString::getString), seen.toString());
        assertEquals(List.of(agent), seen.getJsonArray("agentsOnly").getValuesAs(jakarta.json.JsonString::getString));
    }
}
