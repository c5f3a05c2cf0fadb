package io.mcpcrew.crew.web.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.web.Http;
import java.net.URL;
import java.net.http.HttpResponse;
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
 * The rate-limit API and the {@code @RateLimited} filter in the real WAR on Payara Micro, against a private
 * redis-server (key prefix {@code crewit}, from the failsafe environment).
 */
@ExtendWith(RedisServerExtension.class)
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitApiIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar();
    }

    @ArquillianResource
    URL base;

    private String url(String tenant, String resource, String rest) {
        return base + "api/v1/tenants/" + tenant + "/ratelimits/" + resource + rest;
    }

    @Test
    @Order(1)
    void checkCountsAndAnswersTheDecisionWithTheIetfFields(RedisServer redis) {
        String body = "{\"maxRequests\":2,\"windowSeconds\":60}";
        HttpResponse<String> first = Http.send("POST", url("acme", "llm", "/check"), body);
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().contains("\"allowed\":true"), first.body());
        assertTrue(first.body().contains("\"remaining\":1"), first.body());
        assertTrue(first.body().contains("\"decidedBy\":\"REDIS\""), first.body());
        assertEquals("\"llm\";q=2;w=60", first.headers().firstValue("RateLimit-Policy").orElse(null));
        assertEquals("\"llm\";r=1;t=60", first.headers().firstValue("RateLimit").orElse(null));
        assertTrue(first.headers().firstValue("Retry-After").isEmpty());
        assertEquals(200, Http.send("POST", url("acme", "llm", "/check"), body).statusCode());
        HttpResponse<String> refused = Http.send("POST", url("acme", "llm", "/check"), body);
        assertEquals(200, refused.statusCode(), "the check endpoint reports a refusal, it is not itself limited");
        assertTrue(refused.body().contains("\"allowed\":false"), refused.body());
        assertTrue(refused.body().contains("\"remaining\":0"), refused.body());
        long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElse("-1"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        assertTrue(refused.headers().firstValue("RateLimit").orElse("").startsWith("\"llm\";r=0;t="));
        long ttl = redis.ttl("crewit:acme:ratelimit:llm");
        assertTrue(ttl >= 59 && ttl <= 180, "key TTL from one to three windows: " + ttl);
        // another tenant has its own window
        HttpResponse<String> other = Http.send("POST", url("other", "llm", "/check"), body);
        assertTrue(other.body().contains("\"allowed\":true"), other.body());
        // cost and the reset endpoint
        assertEquals(204, Http.send("DELETE", url("acme", "llm", ""), null).statusCode());
        HttpResponse<String> costly = Http.send("POST", url("acme", "llm", "/check"),
                "{\"maxRequests\":10,\"windowSeconds\":60,\"cost\":4}");
        assertTrue(costly.body().contains("\"remaining\":6"), costly.body());
    }

    @Test
    @Order(2)
    void badInputIs400WithAMessage() {
        assertBadRequest(url("acme", "x", "/check"), "{\"maxRequests\":0,\"windowSeconds\":60}",
                "maxRequests\\\" must be an integer from 1 to 2147483647, got 0");
        assertBadRequest(url("acme", "x", "/check"), "{\"maxRequests\":-5,\"windowSeconds\":60}",
                "maxRequests\\\" must be an integer from 1 to 2147483647, got -5");
        assertBadRequest(url("acme", "x", "/check"), "{\"maxRequests\":5,\"windowSeconds\":0}",
                "windowSeconds\\\" must be an integer from 1 to 31622400");
        assertBadRequest(url("acme", "x", "/check"), "{\"maxRequests\":5,\"windowSeconds\":7201}", "window 7201s");
        assertBadRequest(url("acme", "x", "/check"), "{\"maxRequests\":5,\"windowSeconds\":60,\"cost\":6}", "cost 6");
        assertBadRequest(url("acme", "x", "/check"), "{\"maxRequests\":1000000000}", "maxRequests 1000000000");
        assertBadRequest(url("acme", "x", "/check"), "{\"maxRequests\":", "malformed JSON");
        assertBadRequest(url("acme", "bad.name", "/check"), "{}", "resource");
        assertBadRequest(url("ac%20me", "x", "/check"), "{}", "tenant id");
        assertBadRequest(url("acme", "x", "/policy"), "{\"maxRequests\":3}", "windowSeconds");
        HttpResponse<String> missing = Http.send("DELETE", url("acme", "never-set", "/policy"), null);
        assertEquals(404, missing.statusCode(), missing.body());
    }

    @Test
    @Order(3)
    void rateLimitedEndpointsAnswer429WithTheFieldsAfterTheLimit() {
        // the policy PUT is itself @RateLimited(resource = "ratelimit-admin"); tighten that budget for one tenant
        HttpResponse<String> set = Http.send("PUT", url("tight", "ratelimit-admin", "/policy"),
                "{\"maxRequests\":2,\"windowSeconds\":60}");
        assertEquals(200, set.statusCode(), set.body());
        assertTrue(set.body().contains("\"override\":true"), set.body());
        assertTrue(set.headers().firstValue("RateLimit-Policy").orElse("").startsWith("\"ratelimit-admin\";q=60;w=60"),
                "the first call was counted under the annotation's policy: " + set.headers().map());
        HttpResponse<String> second = Http.send("PUT", url("tight", "other", "/policy"),
                "{\"maxRequests\":5,\"windowSeconds\":30}");
        assertEquals(200, second.statusCode(), second.body());
        assertEquals("\"ratelimit-admin\";q=2;w=60", second.headers().firstValue("RateLimit-Policy").orElse(null));
        String rl = second.headers().firstValue("RateLimit").orElse("");
        assertTrue(rl.matches("\"ratelimit-admin\";r=0;t=(60|[1-5][0-9]|[1-9])"), "RateLimit " + rl);
        HttpResponse<String> limited = Http.send("PUT", url("tight", "other", "/policy"),
                "{\"maxRequests\":6,\"windowSeconds\":30}");
        assertEquals(429, limited.statusCode(), limited.body());
        assertTrue(limited.body().contains("\"status\":429"), limited.body());
        assertTrue(limited.body().contains("rate limit exceeded for resource 'ratelimit-admin' of tenant 'tight'"),
                limited.body());
        long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElse("-1"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        assertEquals("\"ratelimit-admin\";q=2;w=60", limited.headers().firstValue("RateLimit-Policy").orElse(null));
        assertTrue(limited.headers().firstValue("RateLimit").orElse("").startsWith("\"ratelimit-admin\";r=0;t="));
        // the refused call did not run: the policy of "other" is still the one set before
        HttpResponse<String> policy = Http.get(url("tight", "other", "/policy"));
        assertTrue(policy.body().contains("\"maxRequests\":5"), policy.body());
        assertTrue(policy.body().contains("\"windowSeconds\":30"), policy.body());
        // other tenants keep the annotation's budget
        HttpResponse<String> elsewhere = Http.send("PUT", url("relaxed", "other", "/policy"),
                "{\"maxRequests\":6,\"windowSeconds\":30}");
        assertEquals(200, elsewhere.statusCode(), elsewhere.body());
        assertEquals("\"ratelimit-admin\";r=59;t=60", elsewhere.headers().firstValue("RateLimit").orElse(null));
    }

    @Test
    @Order(4)
    void whileRedisIsDownThisNodesLocalWindowDecides(RedisServer redis) throws Exception {
        String body = "{\"maxRequests\":2,\"windowSeconds\":60}";
        redis.stop();
        try {
            HttpResponse<String> first = Http.send("POST", url("down", "llm", "/check"), body);
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(first.body().contains("\"decidedBy\":\"LOCAL_FALLBACK\""), first.body());
            assertTrue(first.body().contains("\"allowed\":true"), first.body());
            Http.send("POST", url("down", "llm", "/check"), body);
            HttpResponse<String> third = Http.send("POST", url("down", "llm", "/check"), body);
            assertTrue(third.body().contains("\"allowed\":false"), "the local window counts too: " + third.body());
            assertTrue(third.headers().firstValue("Retry-After").isPresent());
        } finally {
            redis.start();
        }
        HttpResponse<String> back = null;
        for (int i = 0; i < 200; i++) {
            back = Http.send("POST", url("down", "llm", "/check"), body);
            if (back.body().contains("\"decidedBy\":\"REDIS\"")) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(back.body().contains("\"decidedBy\":\"REDIS\""), "Redis decides again: " + back.body());
        assertTrue(back.body().contains("\"remaining\":1"), "local counts are not carried over: " + back.body());
    }

    private static void assertBadRequest(String url, String body, String fragment) {
        HttpResponse<String> r = Http.send(url.endsWith("/policy") ? "PUT" : "POST", url, body);
        assertEquals(400, r.statusCode(), url + " " + body + " -> " + r.body());
        assertTrue(r.body().contains(fragment), "400 body should mention " + fragment + ": " + r.body());
    }
}
