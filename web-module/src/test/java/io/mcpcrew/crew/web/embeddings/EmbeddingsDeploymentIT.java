package io.mcpcrew.crew.web.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.web.Http;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The embeddings API in the real WAR on Payara Micro, against a private redis-server (key prefix crewit). */
@ExtendWith(RedisServerExtension.class)
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddingsDeploymentIT {
    private static final String MODEL = "BAAI/bge-small-en-v1.5";

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar();
    }

    @ArquillianResource
    URL base;

    private String api(String path) {
        return base + "api/v1/tenants/" + path;
    }

    @Test
    @Order(1)
    void putThenLookupReturnsTheSameFloatsAlignedWithMisses(RedisServer redis) {
        HttpResponse<String> put = Http.send("PUT", api("acme/embeddings/" + MODEL), "{\"items\":["
                + "{\"text\":\"hello\",\"vector\":[0.1,-2.5,3.4028235E38,1.4E-45]},"
                + "{\"text\":\"world\",\"vector\":[1,2,3,-0.0]}]}");
        assertEquals(204, put.statusCode(), put.body());
        HttpResponse<String> r = Http.send("POST", api("acme/embeddings/" + MODEL + "/lookup"),
                "{\"texts\":[\"world\",\"missing\",\"hello\"]}");
        assertEquals(200, r.statusCode(), r.body());
        // the raw text, not a JSON-P tree: JSON-P numbers are BigDecimals, which have no -0.0
        List<String> vectors = rawVectors(r.body());
        assertEquals(3, vectors.size(), r.body());
        assertFloats(new float[] {1, 2, 3, -0.0f}, vectors.get(0));
        assertEquals("null", vectors.get(1));
        assertFloats(new float[] {0.1f, -2.5f, Float.MAX_VALUE, Float.MIN_VALUE}, vectors.get(2));
        List<String> keys = redis.scanKeys("crewit:acme:embeddings:*");
        assertEquals(3, keys.size(), keys.toString()); // two vectors and the model's dimension
        for (String k : keys) {
            assertTrue(k.startsWith("crewit:acme:embeddings:_"), "a model name with '/' is hashed: " + k);
            assertTrue(redis.ttl(k) > 0, k);
        }
    }

    @Test
    @Order(2)
    void badInputIs400WithAMessage() {
        assertBadRequest(Http.send("PUT", api("acme/embeddings/" + MODEL), "{\"items\":[{\"text\":\"x\",\"vector\":[1,2]}]}"),
                "established dimension 4");
        assertBadRequest(Http.send("PUT", api("acme/embeddings/" + MODEL), "{\"items\":[{\"text\":\"x\",\"vector\":[]}]}"),
                "dimension 0");
        assertBadRequest(Http.send("PUT", api("acme/embeddings/" + MODEL), "{\"items\":[{\"text\":\"x\"}]}"),
                "missing vector");
        assertBadRequest(Http.send("PUT", api("acme/embeddings/" + MODEL), "{\"items\":[{\"text\":\"x\",\"vector\":[1e39,0,0,0]}]}"),
                "finite");
        assertBadRequest(Http.send("PUT", api("acme/embeddings/" + MODEL), "{\"items\":[{\"text\":\"x\",\"vector\":[\"a\"]}]}"),
                "");
        assertBadRequest(Http.send("PUT", api("acme/embeddings/" + MODEL), "{}"), "missing \\\"items\\\"");
        assertBadRequest(Http.send("PUT", api("bad tenant!/embeddings/m").replace(" ", "%20"),
                "{\"items\":[]}"), "invalid tenant id");
        assertBadRequest(Http.send("POST", api("acme/embeddings/bad*model/lookup"), "{\"texts\":[]}"), "invalid model name");
        StringBuilder many = new StringBuilder("{\"texts\":[");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        assertBadRequest(Http.send("POST", api("acme/embeddings/m/lookup"), many.append("]}").toString()),
                "max-batch-size");
    }

    @Test
    @Order(3)
    void statsCountThisNodesReadsAndWrites() {
        HttpResponse<String> r = Http.get(api("acme/embeddings/" + MODEL + "/stats"));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject s = json(r.body());
        assertEquals(MODEL, s.getString("model"));
        assertEquals(4, s.getInt("dimension"));
        assertEquals(2, s.getInt("hits"));
        assertEquals(1, s.getInt("misses"));
        assertEquals(2, s.getInt("stores"));
        assertEquals("node", s.getString("scope"));
    }

    @Test
    @Order(4)
    void deleteClearsTheModel(RedisServer redis) {
        HttpResponse<String> d = Http.send("DELETE", api("acme/embeddings/" + MODEL), null);
        assertEquals(200, d.statusCode(), d.body());
        assertEquals(2, json(d.body()).getInt("removed"));
        HttpResponse<String> r = Http.send("POST", api("acme/embeddings/" + MODEL + "/lookup"), "{\"texts\":[\"hello\"]}");
        assertEquals("{\"vectors\":[null]}", r.body().replace(" ", ""));
        assertEquals(List.of(), redis.scanKeys("crewit:acme:embeddings:*"));
    }

    private static void assertBadRequest(HttpResponse<String> r, String messagePart) {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"status\":400") && r.body().contains(messagePart), r.body());
    }

    /** The entries of {"vectors":[[...],null,...]}: each "a,b,c" or "null". */
    private static List<String> rawVectors(String body) {
        String b = body.replace(" ", "");
        assertTrue(b.startsWith("{\"vectors\":[") && b.endsWith("]}"), body);
        String inner = b.substring("{\"vectors\":[".length(), b.length() - 2);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < inner.length()) {
            if (inner.startsWith("null", i)) {
                out.add("null");
                i += 4;
            } else {
                int end = inner.indexOf(']', i);
                out.add(inner.substring(i + 1, end));
                i = end + 1;
            }
            i += i < inner.length() && inner.charAt(i) == ',' ? 1 : 0;
        }
        return out;
    }

    private static void assertFloats(float[] expected, String actual) {
        String[] parts = actual.split(",");
        assertEquals(expected.length, parts.length, actual);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(Float.parseFloat(parts[i])),
                    i + ": " + actual);
        }
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}
