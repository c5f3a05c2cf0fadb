package io.mcpcrew.crew.web.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.web.Http;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sessions HTTP API in the real WAR on Payara Micro, against a private redis-server. */
@ExtendWith(RedisServerExtension.class) // before Arquillian: Redis is up when Micro starts
@ExtendWith(ArquillianExtension.class)
class SessionsHttpIT {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar();
    }

    @ArquillianResource
    URL base;

    private String sessions() {
        return base + "api/v1/tenants/acme/sessions";
    }

    @Test
    void createReadPatchTouchListDeleteOverHttp(RedisServer redis) {
        HttpResponse<String> created = Http.send("POST", sessions(),
                "{\"userId\":\"alice\",\"data\":{\"cart\":3,\"theme\":\"dark\"},\"importance\":\"long-lived\"}");
        assertEquals(201, created.statusCode(), created.body());
        Matcher m = ID.matcher(created.body());
        assertTrue(m.find(), created.body());
        String id = m.group(1);
        assertTrue(id.startsWith("alice."), id);
        assertTrue(created.headers().firstValue("Location").orElse("").endsWith("/sessions/" + id));
        assertEquals("3", redis.command("HGET", "crewit:acme:sessions:{acme.alice}:session:" + id, "d:cart"));

        HttpResponse<String> got = Http.get(sessions() + "/" + id);
        assertEquals(200, got.statusCode(), got.body());
        assertTrue(got.body().contains("\"userId\":\"alice\""), got.body());
        assertTrue(got.body().contains("\"cart\":3"), got.body());
        assertTrue(got.body().contains("\"ttlSeconds\":604800,") || got.body().endsWith("\"ttlSeconds\":604800}"),
                got.body());

        HttpResponse<String> patched = Http.send("PATCH", sessions() + "/" + id, "{\"cart\":4,\"theme\":null}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertTrue(patched.body().contains("\"cart\":4"), patched.body());
        assertTrue(!patched.body().contains("theme"), patched.body());

        HttpResponse<String> touched = Http.send("POST", sessions() + "/" + id + "/touch", "{\"ttlSeconds\":60}");
        assertEquals(200, touched.statusCode(), touched.body());
        assertTrue(touched.body().contains("\"expiresAt\""), touched.body());

        HttpResponse<String> list = Http.get(base + "api/v1/tenants/acme/users/alice/sessions");
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().startsWith("[") && list.body().contains(id), list.body());

        HttpResponse<String> deleted = Http.send("DELETE", sessions() + "/" + id, null);
        assertEquals(204, deleted.statusCode(), deleted.body());
        HttpResponse<String> gone = Http.get(sessions() + "/" + id);
        assertEquals(404, gone.statusCode(), gone.body());
        assertTrue(gone.body().contains("unknown or expired"), gone.body());
        assertEquals(404, Http.send("PATCH", sessions() + "/" + id, "{\"cart\":5}").statusCode());
        assertEquals(404, Http.send("POST", sessions() + "/" + id + "/touch", null).statusCode());

        Http.send("POST", sessions(), "{\"userId\":\"alice\",\"data\":{}}");
        HttpResponse<String> revoked = Http.send("DELETE", base + "api/v1/tenants/acme/users/alice/sessions", null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("{\"deleted\":1}", revoked.body());
    }

    @Test
    void badInputAnswers400WithTheRule() {
        HttpResponse<String> badTtl = Http.send("POST", sessions(), "{\"userId\":\"bob\",\"ttlSeconds\":0}");
        assertEquals(400, badTtl.statusCode(), badTtl.body());
        assertTrue(badTtl.body().contains("ttlSeconds"), badTtl.body());
        HttpResponse<String> badImportance = Http.send("POST", sessions(), "{\"userId\":\"bob\",\"importance\":\"forever\"}");
        assertEquals(400, badImportance.statusCode(), badImportance.body());
        assertTrue(badImportance.body().contains("ephemeral, standard, long-lived"), badImportance.body());
        HttpResponse<String> badUser = Http.send("POST", sessions(), "{\"userId\":\"a:b\"}");
        assertEquals(400, badUser.statusCode(), badUser.body());
        assertTrue(badUser.body().contains("invalid user id"), badUser.body());
        HttpResponse<String> tooBig = Http.send("POST", sessions(),
                "{\"userId\":\"bob\",\"data\":{\"blob\":\"" + "x".repeat(70_000) + "\"}}");
        assertEquals(400, tooBig.statusCode(), tooBig.body());
        assertTrue(tooBig.body().contains("max-data-bytes"), tooBig.body());
        HttpResponse<String> badId = Http.get(sessions() + "/not-an-id");
        assertEquals(400, badId.statusCode(), badId.body());
        HttpResponse<String> unknown = Http.get(sessions() + "/bob.AAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(404, unknown.statusCode(), unknown.body());
    }
}
