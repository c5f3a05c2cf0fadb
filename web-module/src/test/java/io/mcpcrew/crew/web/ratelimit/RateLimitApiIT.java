package io.mcpcrew.crew.web.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.web.Http;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
            HttpResponse<String> usage = Http.get(url("down", "llm", "/usage"));
            assertEquals(200, usage.statusCode(), usage.body());
            assertTrue(usage.body().contains("\"decidedBy\":\"LOCAL_FALLBACK\""), usage.body());
            assertTrue(usage.body().contains("\"algorithm\":\"exact-log\",\"max\":100,\"windowSeconds\":60,\"used\":2,"),
                    "this node's window, read with the default policy: " + usage.body());
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

    /**
     * Walks every resource method of the application (reflection over the JAX-RS resource classes compiled into
     * the WAR) and shows that each write under {@code /tenants/{tenant}} is counted in the tenant's
     * {@code api-writes} budget: for each one, a fresh tenant whose budget is set to 2 per hour (the policy PUT
     * itself is the first unit), one call of the method is admitted and the next answers 429.
     */
    @Test
    @Order(5)
    void everyWriteUnderATenantAnswers429PastTheApiWritesBudget() throws Exception {
        List<String[]> writes = new ArrayList<>();
        List<String> unbudgeted = new ArrayList<>();
        for (Class<?> c : resourceClasses()) {
            for (Method m : c.getMethods()) {
                String http = RateLimitBinding.httpMethod(m);
                if (http == null) {
                    assertTrue(m.getAnnotation(Path.class) == null, "sub-resource locator " + m + ": the walk would miss it");
                    continue;
                }
                if (!RateLimitBinding.isWrite(m)) {
                    continue;
                }
                String path = RateLimitBinding.path(c, m).replaceAll("/+", "/");
                if (!path.contains("{tenant}")) {
                    unbudgeted.add(http + " " + path + " (" + c.getSimpleName() + "." + m.getName() + ")");
                    continue;
                }
                writes.add(new String[] {http, path, c.getSimpleName() + "." + m.getName()});
            }
        }
        assertEquals(List.of(), unbudgeted, "writes outside /tenants/{tenant}: no per-tenant budget binds them");
        // the 18 writes of the HTTP table (README); more when endpoints are added, never fewer
        assertTrue(writes.size() >= 18, "found only " + writes.size() + " write methods: "
                + writes.stream().map(w -> w[0] + " " + w[1]).collect(java.util.stream.Collectors.joining(", ")));
        List<String> failures = new ArrayList<>();
        int i = 0;
        for (String[] w : writes) {
            String tenant = "walk" + (i++);
            HttpResponse<String> set = Http.send("PUT", url(tenant, "api-writes", "/policy"),
                    "{\"maxRequests\":2,\"windowSeconds\":3600}");
            assertEquals(200, set.statusCode(), set.body());
            String url = base + "api" + w[1].replaceAll("\\{tenant}", tenant).replaceAll("\\{[^}]+}", "w1");
            String body = "DELETE".equals(w[0]) ? null : "{}";
            HttpResponse<String> admitted = Http.send(w[0], url, body);
            HttpResponse<String> refused = Http.send(w[0], url, body);
            String what = w[0] + " " + w[1] + " (" + w[2] + ")";
            if (admitted.statusCode() == 429 || admitted.statusCode() >= 500) {
                failures.add(what + ": the admitted call answered " + admitted.statusCode() + " " + admitted.body());
            }
            if (refused.statusCode() != 429 || !refused.body().contains("rate limit exceeded for resource 'api-writes' of tenant '"
                    + tenant + "'") || refused.headers().firstValue("Retry-After").isEmpty()) {
                failures.add(what + ": past the budget answered " + refused.statusCode() + " " + refused.body());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + writes.size() + " writes:\n" + String.join("\n", failures));
    }

    /**
     * A policy of two limits stored over HTTP: checks count a request against one and the cost against the other, all
     * or nothing; the answer and the IETF fields list both limits; adjust gives tokens back.
     */
    @Test
    @Order(6)
    void aPolicyOfSeveralLimitsIsStoredCheckedAndAdjustedOverHttp(RedisServer redis) {
        String policy = "{\"limits\":[{\"name\":\"rpm\",\"unit\":\"requests\",\"algorithm\":\"sliding-counter\","
                + "\"max\":60,\"windowSeconds\":60},{\"name\":\"tpd\",\"algorithm\":\"sliding-counter\",\"max\":1000,"
                + "\"windowSeconds\":86400}]}";
        HttpResponse<String> set = Http.send("PUT", url("quota", "gpt-4", "/policy"), policy);
        assertEquals(200, set.statusCode(), set.body());
        assertTrue(set.body().contains("\"override\":true"), set.body());
        assertTrue(set.body().contains("{\"name\":\"tpd\",\"unit\":\"tokens\",\"algorithm\":\"sliding-counter\","
                + "\"max\":1000,\"windowSeconds\":86400}"), set.body());
        assertTrue(redis.command("HGET", "crewit:quota:ratelimit-policy", "gpt-4").contains("\"windowMicros\":86400000000"));
        HttpResponse<String> read = Http.get(url("quota", "gpt-4", "/policy"));
        assertTrue(read.body().contains("\"name\":\"rpm\"") && !read.body().contains("maxRequests"), read.body());

        HttpResponse<String> first = Http.send("POST", url("quota", "gpt-4", "/check"), "{\"cost\":600}");
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().contains("\"allowed\":true"), first.body());
        assertTrue(first.body().contains("\"name\":\"tpd\",\"unit\":\"tokens\",\"algorithm\":\"sliding-counter\","
                + "\"max\":1000,\"windowSeconds\":86400,\"remaining\":400"), first.body());
        assertEquals("\"gpt-4.rpm\";q=60;w=60, \"gpt-4.tpd\";q=1000;w=86400",
                first.headers().firstValue("RateLimit-Policy").orElse(null));
        String rl = first.headers().firstValue("RateLimit").orElse("");
        assertTrue(rl.matches("\"gpt-4.rpm\";r=59;t=\\d+, \"gpt-4.tpd\";r=400;t=\\d+"), rl);

        HttpResponse<String> refused = Http.send("POST", url("quota", "gpt-4", "/check"), "{\"cost\":600}");
        assertEquals(200, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"allowed\":false") && refused.body().contains("\"refusedBy\":\"tpd\""),
                refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());

        HttpResponse<String> adjusted = Http.send("POST", url("quota", "gpt-4", "/adjust"), "{\"delta\":-500}");
        assertEquals(200, adjusted.statusCode(), adjusted.body());
        assertTrue(adjusted.body().contains("\"remaining\":900"), adjusted.body());
        assertTrue(Http.send("POST", url("quota", "gpt-4", "/check"), "{\"cost\":600}").body().contains("\"allowed\":true"));
        assertEquals(List.of("crewit:quota:ratelimit:{quota.gpt-4}:q"), redis.scanKeys("crewit:quota:ratelimit:{*"),
                "one key holds both limits");

        assertBadRequest(url("quota", "x", "/policy"), "{\"limits\":[{\"name\":\"t\",\"max\":0,\"windowSeconds\":60}]}",
                "limits[0].max");
        assertBadRequest(url("quota", "x", "/policy"), "{\"limits\":[{\"name\":\"t\",\"max\":5,\"windowSeconds\":60,"
                + "\"algorithm\":\"gcra\"}]}", "invalid algorithm");
        assertBadRequest(url("quota", "x", "/policy"), "{\"limits\":[{\"name\":\"t\",\"max\":5,\"windowSeconds\":60}],"
                + "\"maxRequests\":5}", "not both");
        assertBadRequest(url("quota", "gpt-4", "/check"), "{\"cost\":1001}", "limit 'tpd'");
        assertBadRequest(url("quota", "gpt-4", "/check"), "{\"maxRequests\":5}", "give both");
        HttpResponse<String> noDelta = Http.send("POST", url("quota", "gpt-4", "/adjust"), "{}");
        assertEquals(400, noDelta.statusCode(), noDelta.body());
        HttpResponse<String> exact = Http.send("POST", url("quota", "plain", "/adjust"), "{\"delta\":5}");
        assertEquals(400, exact.statusCode(), exact.body());
        assertTrue(exact.body().contains("exact log"), exact.body());
    }

    /**
     * The usage of a resource: every limit's used, remaining and times, as checks left them; reads consume nothing
     * (a check at the limit still passes after many) and are not charged to {@code api-writes}; a bad name is a 400
     * naming the value and the rule; another tenant's token is refused.
     */
    @Test
    @Order(7)
    void usageShowsWhatEachLimitCountsAndConsumesNothing(RedisServer redis) {
        assertEquals(200, Http.send("PUT", url("usage", "gpt", "/policy"), "{\"limits\":[{\"name\":\"rpd\","
                + "\"unit\":\"requests\",\"algorithm\":\"token-bucket\",\"max\":5,\"windowSeconds\":86400},"
                + "{\"name\":\"tpd\",\"algorithm\":\"sliding-counter\",\"max\":1000,\"windowSeconds\":86400}]}").statusCode());
        HttpResponse<String> before = Http.get(url("usage", "gpt", "/usage"));
        assertEquals(200, before.statusCode(), before.body());
        assertTrue(before.body().startsWith("{\"tenant\":\"usage\",\"resource\":\"gpt\",\"decidedBy\":\"REDIS\","
                + "\"readAt\":\""), before.body());
        assertTrue(before.body().contains("{\"name\":\"rpd\",\"unit\":\"requests\",\"algorithm\":\"token-bucket\","
                + "\"max\":5,\"windowSeconds\":86400,\"burst\":5,\"used\":0,\"remaining\":5,\"resetAfterMillis\":0,"
                + "\"retryAfterMillis\":0}"), before.body());
        assertTrue(before.body().contains("{\"name\":\"tpd\",\"unit\":\"tokens\",\"algorithm\":\"sliding-counter\","
                + "\"max\":1000,\"windowSeconds\":86400,\"used\":0,\"remaining\":1000,\"resetAfterMillis\":0,"
                + "\"retryAfterMillis\":0}"), before.body());
        assertEquals(List.of(), redis.scanKeys("crewit:usage:ratelimit:{*"), "a read writes no state");

        for (int i = 0; i < 2; i++) {
            assertTrue(Http.send("POST", url("usage", "gpt", "/check"), "{\"cost\":300}").body().contains("\"allowed\":true"));
        }
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> u = Http.get(url("usage", "gpt", "/usage"));
            assertEquals(200, u.statusCode(), u.body());
            assertTrue(u.body().contains("\"name\":\"rpd\"") && u.body().contains("\"used\":2,\"remaining\":3,"), u.body());
            assertTrue(u.body().contains("\"used\":600,\"remaining\":400,"), u.body());
            assertTrue(u.headers().firstValue("RateLimit").isEmpty(), "a read is not charged to any budget");
        }
        HttpResponse<String> last = Http.send("POST", url("usage", "gpt", "/check"), "{\"cost\":400}");
        assertTrue(last.body().contains("\"allowed\":true"), "the reads consumed nothing: " + last.body());
        HttpResponse<String> full = Http.get(url("usage", "gpt", "/usage"));
        assertTrue(full.body().contains("\"used\":1000,\"remaining\":0,"), full.body());
        assertTrue(full.body().matches(".*\"name\":\"tpd\".*\"retryAfterMillis\":[1-9][0-9]*}]}"), full.body());

        // a budget's own usage (an exact log): reads are not charged to api-writes (2 per hour here; the PUT is the first)
        assertEquals(200, Http.send("PUT", url("budget", "api-writes", "/policy"),
                "{\"maxRequests\":2,\"windowSeconds\":3600}").statusCode());
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> u = Http.get(url("budget", "api-writes", "/usage"));
            assertEquals(200, u.statusCode(), u.body());
            assertTrue(u.body().contains("\"name\":\"api-writes\",\"unit\":\"tokens\",\"algorithm\":\"exact-log\","
                    + "\"max\":2,\"windowSeconds\":3600,\"used\":1,\"remaining\":1,\"resetAfterMillis\":"),
                    "the PUT counted, the reads not: " + u.body());
        }
        assertEquals(200, Http.send("POST", url("budget", "x", "/check"), "{}").statusCode());
        assertEquals(429, Http.send("POST", url("budget", "x", "/check"), "{}").statusCode());
        assertTrue(Http.get(url("budget", "api-writes", "/usage")).body().contains("\"used\":2,\"remaining\":0,"));

        HttpResponse<String> bad = Http.get(url("usage", "bad.name", "/usage"));
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("invalid resource \\\"bad.name\\\"") && bad.body().contains("must be 1 to 64 characters from A-Z"),
                bad.body());
        HttpResponse<String> other = Http.get(url("usage", "gpt", "/usage"), io.mcpcrew.crew.testing.TestTokens.forTenant("intruder"));
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(other.body().contains("this token is for tenant \\\"intruder\\\", not \\\"usage\\\""), other.body());
        assertTrue(!other.body().contains("used"), other.body());
    }

    /** The root resource classes (annotated {@code @Path}) compiled into the WAR's WEB-INF/classes. */
    private static List<Class<?>> resourceClasses() throws Exception {
        java.nio.file.Path root = java.nio.file.Paths.get(
                io.mcpcrew.crew.web.CrewApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                String rel = root.relativize(f).toString();
                if (!rel.endsWith(".class") || rel.contains("$")) {
                    continue;
                }
                Class<?> c = Class.forName(rel.substring(0, rel.length() - 6).replace(java.io.File.separatorChar, '.'));
                if (c.isAnnotationPresent(Path.class)) {
                    out.add(c);
                }
            }
        }
        assertTrue(out.size() >= 8, "resource classes found under " + root + ": " + out);
        return out;
    }

    private static void assertBadRequest(String url, String body, String fragment) {
        HttpResponse<String> r = Http.send(url.endsWith("/policy") ? "PUT" : "POST", url, body);
        assertEquals(400, r.statusCode(), url + " " + body + " -> " + r.body());
        assertTrue(r.body().contains(fragment), "400 body should mention " + fragment + ": " + r.body());
    }
}
