package io.mcpcrew.crew.web;

import io.mcpcrew.crew.testing.TestTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.net.URL;
import java.net.http.HttpResponse;
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

/**
 * The real WAR Maven built (core, EJB module and Jedis in WEB-INF/lib) on a managed Payara Micro, against a
 * private redis-server the test starts first (its port reaches Micro as REDIS_CREW_PORT).
 */
@ExtendWith(RedisServerExtension.class) // before Arquillian: Redis is up when Micro starts
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MicroDeploymentIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar();
    }

    @ArquillianResource
    URL base;

    @Test
    @Order(1)
    void redisManagerIsInjectedAndConfiguredFromTheEnvironment(RedisServer redis) {
        HttpResponse<String> r = Http.get(base + "api/v1/status");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"redisReachable\":true"), r.body());
        assertTrue(r.body().contains("\"target\":\"127.0.0.1:" + redis.port() + "\""), r.body());
        assertTrue(r.body().contains("\"keyPrefix\":\"crewit\""), r.body());
        assertTrue(r.body().contains("\"state\":\"CLOSED\""), r.body());
    }

    @Test
    @Order(2)
    void healthEndpointsAreUp() {
        HttpResponse<String> ready = Http.get(Http.root(base) + "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"status\":\"UP\""), ready.body());
        assertTrue(ready.body().contains("\"serverVersion\""), ready.body());
        assertEquals(200, Http.get(Http.root(base) + "/health/live").statusCode());
        assertEquals(200, Http.get(Http.root(base) + "/health/started").statusCode());
    }

    @Test
    @Order(3)
    void readinessFollowsRedisWithoutRestart(RedisServer redis) throws Exception {
        redis.stop();
        try {
            HttpResponse<String> down = awaitStatus(Http.root(base) + "/health/ready", 503);
            assertTrue(down.body().contains("\"status\":\"DOWN\""), down.body());
        } finally {
            redis.start();
        }
        HttpResponse<String> up = awaitStatus(Http.root(base) + "/health/ready", 200);
        assertTrue(up.body().contains("\"status\":\"UP\""), up.body());
    }

    @Test
    @Order(4)
    void unknownPathsAnswerJsonErrors() {
        HttpResponse<String> r = Http.get(base + "api/v1/no-such-thing");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("\"status\":404"), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    @Order(5)
    void tenantResourcesNeedTheTenantsToken() {
        String url = base + "api/v1/tenants/acme/whoami";
        HttpResponse<String> none = Http.get(url, null);
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.body().contains("\"status\":401"), none.body());
        HttpResponse<String> bad = Http.get(url, "not.a.token");
        assertEquals(401, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("\"status\":401"), "JSON, not the server's HTML: " + bad.body());
        assertEquals(401, Http.get(url, TestTokens.expired("acme")).statusCode());
        HttpResponse<String> other = Http.get(url, TestTokens.forTenant("globex"));
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(other.body().contains("globex") && other.body().contains("acme"), other.body());
        HttpResponse<String> own = Http.get(url, TestTokens.forTenant("acme"));
        assertEquals(200, own.statusCode(), own.body());
        assertTrue(own.body().contains("\"tenant\":\"acme\""), own.body());
        assertEquals(200, Http.get(url, TestTokens.admin()).statusCode(), "the admin group may act on any tenant");
        HttpResponse<String> hostile = Http.get(base + "api/v1/tenants/a%3Ab/whoami", TestTokens.admin());
        assertEquals(400, hostile.statusCode(), hostile.body());
        // health and status stay open
        assertEquals(200, Http.get(base + "api/v1/status", null).statusCode());
        assertEquals(200, Http.get(Http.root(base) + "/health/live", null).statusCode());
    }

    /** {@code GET /api/v1/whoami}: the token's tenant and whether it is an admin's, with no tenant in the path. */
    @Test
    @Order(5)
    void whoAmIWithoutATenantSaysWhichTenantsATokenReaches() {
        String url = base + "api/v1/whoami";
        HttpResponse<String> none = Http.get(url, null);
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.body().contains("\"status\":401"), none.body());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), none.headers().map().toString());
        HttpResponse<String> bad = Http.get(url, "not.a.token");
        assertEquals(401, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("\"status\":401"), bad.body());
        assertEquals(401, Http.get(url, TestTokens.expired("acme")).statusCode());
        HttpResponse<String> tenant = Http.get(url, TestTokens.forTenant("acme"));
        assertEquals(200, tenant.statusCode(), tenant.body());
        assertTrue(tenant.body().contains("\"tenant\":\"acme\"") && tenant.body().contains("\"admin\":false"), tenant.body());
        HttpResponse<String> admin = Http.get(url, TestTokens.admin());
        assertEquals(200, admin.statusCode(), admin.body());
        assertTrue(admin.body().contains("\"tenant\":\"ops\"") && admin.body().contains("\"admin\":true"), admin.body());
    }

    /** The probe writes to Redis: no token → 401, a tenant's token → 403, and neither writes anything; admin → 200. */
    @Test
    @Order(6)
    void probeIsForTheAdminGroupOnlyAndWritesNothingOtherwise(RedisServer redis) {
        String url = base + "api/v1/probe";
        HttpResponse<String> none = Http.get(url, null);
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.body().contains("\"status\":401"), none.body());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), none.headers().map().toString());
        assertEquals(401, Http.get(url, "not.a.token").statusCode());
        HttpResponse<String> tenant = Http.get(url, TestTokens.forTenant("acme"));
        assertEquals(403, tenant.statusCode(), tenant.body());
        assertTrue(tenant.body().contains("admin group"), tenant.body());
        assertEquals(403, Http.get(url, TestTokens.forTenant("crew-probe")).statusCode(), "not even the probe's own tenant");
        assertEquals(List.of(), redis.scanKeys("*crew-probe*"), "a refused probe wrote nothing");
        HttpResponse<String> admin = Http.get(url, TestTokens.admin());
        assertEquals(200, admin.statusCode(), admin.body());
        assertTrue(admin.body().contains("\"ok\":true"), admin.body());
        assertTrue(!redis.scanKeys("*crew-probe*").isEmpty(), "the admin's probe writes (so the check above could see writes)");
    }

    static HttpResponse<String> awaitStatus(String url, int status) throws InterruptedException {
        HttpResponse<String> last = null;
        for (int i = 0; i < 100; i++) {
            last = Http.get(url);
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + status + " from " + url + ", last: " + last.statusCode() + " " + last.body());
    }
}
