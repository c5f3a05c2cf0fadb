package io.mcpcrew.crew.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.web.Http;
import io.mcpcrew.crew.testing.TestTokens;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Table-driven hostile input over every endpoint of the API, on the real WAR: hostile tenant ids and names in every
 * path slot, hostile bodies on every endpoint that takes one. Nothing may answer 5xx, every hostile name must be
 * refused with a 4xx and a JSON error, and afterwards no key outside the tenant's namespace may exist in Redis.
 */
@ExtendWith(RedisServerExtension.class)
@ExtendWith(ArquillianExtension.class)
class HostileInputIT {
    /** Requests this class sent (reported after the run). */
    private static final java.util.concurrent.atomic.AtomicInteger SENT = new java.util.concurrent.atomic.AtomicInteger();
    private static final String TENANT = "acme";
    /** The tenant of the number rows: its own write and ratelimit-admin budgets, apart from the name rows'. */
    private static final String NUMBERS_TENANT = "nums";

    /** Every endpoint: method, path under /api/v1/tenants/{tenant}, a valid body (null: none). {name} is a name slot. */
    static final List<String[]> ENDPOINTS = List.of(
            new String[] {"GET", "/whoami", null},
            new String[] {"GET", "/queues", null},
            new String[] {"GET", "/queues/{name}/tasks?state=pending", null},
            new String[] {"GET", "/streams", null},
            new String[] {"GET", "/streams/{name}/groups", null},
            new String[] {"GET", "/embeddings", null},
            new String[] {"GET", "/embeddings/{name}/entries", null},
            new String[] {"GET", "/sessions", null},
            new String[] {"GET", "/ratelimits", null},
            new String[] {"POST", "/queues/{name}/tasks", "{\"name\":\"echo\",\"payload\":{\"a\":1},\"priority\":\"NORMAL\"}"},
            new String[] {"GET", "/queues/{name}/tasks/{name}", null},
            new String[] {"DELETE", "/queues/{name}/tasks/{name}", null},
            new String[] {"GET", "/queues/{name}", null},
            new String[] {"POST", "/queues/{name}/pause", null},
            new String[] {"POST", "/queues/{name}/resume", null},
            new String[] {"GET", "/queues/{name}/dead", null},
            new String[] {"POST", "/queues/{name}/dead/{name}/retry", null},
            new String[] {"PUT", "/queues/{name}/schedules/{name}", "{\"taskName\":\"echo\",\"payload\":{\"a\":1},\"everySeconds\":3600}"},
            new String[] {"GET", "/queues/{name}/schedules", null},
            new String[] {"GET", "/queues/{name}/schedules/{name}", null},
            new String[] {"POST", "/queues/{name}/schedules/{name}/pause", null},
            new String[] {"POST", "/queues/{name}/schedules/{name}/resume", null},
            new String[] {"DELETE", "/queues/{name}/schedules/{name}", null},
            new String[] {"POST", "/streams/{name}/events", "{\"type\":\"AGENT\",\"data\":{\"a\":1}}"},
            new String[] {"GET", "/streams/{name}/events?after=0-0&limit=10", null},
            new String[] {"GET", "/streams/{name}", null},
            new String[] {"GET", "/streams/{name}/dead-letters", null},
            new String[] {"POST", "/streams/{name}/dead-letters/{name}/redrive", null},
            new String[] {"PUT", "/embeddings/{name}", "{\"items\":[{\"text\":\"hello\",\"vector\":[0.5,-1.0]}]}"},
            new String[] {"POST", "/embeddings/{name}/lookup", "{\"texts\":[\"hello\"]}"},
            new String[] {"GET", "/embeddings/{name}/stats", null},
            new String[] {"DELETE", "/embeddings/{name}", null},
            new String[] {"POST", "/sessions", "{\"userId\":\"u1\",\"data\":{\"a\":1},\"ttlSeconds\":60}"},
            new String[] {"GET", "/sessions/{name}", null},
            new String[] {"PATCH", "/sessions/{name}", "{\"a\":2}"},
            new String[] {"POST", "/sessions/{name}/touch", null},
            new String[] {"DELETE", "/sessions/{name}", null},
            new String[] {"GET", "/users/{name}/sessions", null},
            new String[] {"DELETE", "/users/{name}/sessions", null},
            new String[] {"POST", "/ratelimits/{name}/check", "{\"maxRequests\":5,\"windowSeconds\":60,\"cost\":1}"},
            new String[] {"GET", "/ratelimits/{name}/policy", null},
            new String[] {"GET", "/ratelimits/{name}/usage", null},
            new String[] {"PUT", "/ratelimits/{name}/policy", "{\"maxRequests\":5,\"windowSeconds\":30}"},
            new String[] {"PUT", "/ratelimits/{name}/policy", "{\"limits\":[{\"name\":\"tpm\",\"unit\":\"tokens\","
                    + "\"algorithm\":\"token-bucket\",\"max\":1000,\"windowSeconds\":60,\"burst\":2000}]}"},
            new String[] {"POST", "/ratelimits/{name}/adjust", "{\"delta\":-1}"},
            new String[] {"DELETE", "/ratelimits/{name}/policy", null},
            new String[] {"DELETE", "/ratelimits/{name}", null});

    /** Hostile tenant ids: the tenant filter is one piece of code for every endpoint, so a few suffice. */
    static final List<String> HOSTILE_TENANTS = List.of("a:b", "*", "{x}", "x".repeat(65), "é");

    /** Embedding model names may hold ':' '/' '.' '@' '+' (real model names do), up to 128 chars: hashed into the key. */
    static final java.util.regex.Pattern MODEL_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._:/@+-]{1,128}");

    static final List<String> HOSTILE_NAMES = List.of("../x", "..", "a:b", "*", "a*", "{x}", "x".repeat(65), "a\u0001b",
            "a\nb", "é", "日本", " ", "a b", "a/b", "a\\b", "%", "a?b", "[x]");

    static final List<String> HOSTILE_BODIES = List.of("{", "not json", "[]", "{\"a\":", "null", "\"str\"", "12",
            "{\"name\":12,\"payload\":[],\"priority\":{},\"maxRequests\":\"x\",\"windowSeconds\":-1,\"texts\":\"x\","
                    + "\"items\":{},\"userId\":[],\"ttlSeconds\":\"soon\",\"type\":7}",
            "{\"maxRequests\":-5,\"windowSeconds\":0,\"cost\":-1,\"ttlSeconds\":-10,\"delaySeconds\":-1,\"priority\":\"URGENT\"}",
            "{\"maxRequests\":9999999999999,\"windowSeconds\":1e308,\"cost\":1e999,\"ttlSeconds\":99999999999999}",
            "[".repeat(5000) + "]".repeat(5000),
            "9".repeat(5000), "-0", "1e308", "-9223372036854775809", "{\"a\":" + "9".repeat(5000) + "}",
            "{\"a\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void noEndpointAnswers5xxAndNoKeyEscapesTheTenant(RedisServer redis) {
        List<String> failures = new ArrayList<>();
        String admin = TestTokens.admin();
        for (String[] e : ENDPOINTS) {
            // hostile names in each name slot, and as the tenant id (the admin token may act on any tenant)
            for (String name : HOSTILE_NAMES) {
                if (e[1].contains("{name}")) {
                    boolean modelSlot = e[1].startsWith("/embeddings/");
                    boolean mustRefuse = !(modelSlot && MODEL_NAME.matcher(name).matches() && !name.matches("\\.+"));
                    check(failures, e[0], url(TENANT, e[1].replace("{name}", enc(name))), e[2], admin, mustRefuse);
                }
            }
            for (String tenant : HOSTILE_TENANTS) {
                check(failures, e[0], url(enc(tenant), e[1].replace("{name}", "ok")), e[2], admin, true);
            }
            // hostile bodies on endpoints that take one
            if (e[2] != null) {
                for (String body : HOSTILE_BODIES) {
                    check(failures, e[0], url(TENANT, e[1].replace("{name}", "ok")), body, TestTokens.forTenant(TENANT), false);
                }
            }
            // negative and absurd numbers in query strings
            if (e[1].contains("?")) {
                for (String q : List.of("after=zzz&limit=-1", "after=0-0&limit=99999999999", "after=%00&limit=abc")) {
                    check(failures, e[0], url(TENANT, e[1].replace("{name}", "ok").replaceAll("\\?.*", "?" + q)), null,
                            TestTokens.forTenant(TENANT), true);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));

        List<String> keys = redis.scanKeys("*");
        List<String> escaped = new ArrayList<>();
        for (String k : keys) {
            if (!k.startsWith("crewit:_sys:") && List.of(TENANT, NUMBERS_TENANT, "A", "B").stream()
                    .noneMatch(t -> k.startsWith("crewit:" + t + ":"))) {
                escaped.add(k);
            }
        }
        assertEquals(List.of(), escaped, "keys outside the tenant's namespace");
    }

    /**
     * The authentication matrix over the same table: no token → 401, another tenant's token → 403, the tenant's own
     * token → past authentication and authorization (2xx, or 4xx about the request itself such as 404 for an id
     * that does not exist — never 401/403, never 5xx).
     */
    @Test
    void everyEndpointNeedsTheTenantsOwnToken() {
        List<String> failures = new ArrayList<>();
        for (String[] e : ENDPOINTS) {
            String url = url(TENANT, e[1].replace("{name}", "ok"));
            int none = send(e[0], url, e[2], null).statusCode();
            int other = send(e[0], url, e[2], TestTokens.forTenant("globex")).statusCode();
            HttpResponse<String> own = send(e[0], url, e[2], TestTokens.forTenant(TENANT));
            if (none != 401) {
                failures.add(e[0] + " " + e[1] + " without a token: " + none);
            }
            if (other != 403) {
                failures.add(e[0] + " " + e[1] + " with another tenant's token: " + other);
            }
            int s = own.statusCode();
            if (s == 401 || s == 403 || s >= 500) {
                failures.add(e[0] + " " + e[1] + " with the tenant's token: " + s + " " + own.body());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /** The numbers of the table: the extremes every numeric input is tried with. */
    static final List<String> EXTREME_NUMBERS = List.of("9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "1e308", "-1e308", "1e999999999", "9".repeat(5000), "-0",
            "0", "1.5", "-1", "2147483648", "\"12\"", "true", "[1]", "{}");

    /** Values where a string belongs: numbers and other JSON types. */
    static final List<String> NOT_STRINGS = List.of("12", "-0", "1e308", "9".repeat(5000), "true", "[\"a\"]", "{}");

    /**
     * Numeric body fields: method, path, the body with {@code $} where the value goes, the field's name in messages,
     * the smallest and largest value the field accepts (null: a float32 field), e.g. sessions' {@code ttlSeconds}
     * from 1 to {@code redis.crew.sessions.max-ttl} (30 days).
     */
    static final List<Object[]> NUMBER_FIELDS = List.of(
            new Object[] {"POST", "/queues/ok/tasks", "{\"name\":\"echo\",\"delaySeconds\":$}", "delaySeconds", 0L, 31_622_400L},
            new Object[] {"POST", "/queues/ok/tasks", "{\"name\":\"echo\",\"maxAttempts\":$}", "maxAttempts", 1L, 1000L},
            new Object[] {"PUT", "/queues/ok/schedules/ok", "{\"taskName\":\"echo\",\"everySeconds\":$}", "everySeconds", 1L,
                    31_622_400L},
            new Object[] {"POST", "/sessions", "{\"userId\":\"u1\",\"data\":{\"k\":\"v\"},\"ttlSeconds\":$}", "ttlSeconds", 1L, 2_592_000L},
            new Object[] {"POST", "/sessions/nope/touch", "{\"ttlSeconds\":$}", "ttlSeconds", 1L, 2_592_000L},
            new Object[] {"POST", "/ratelimits/ok/check", "{\"maxRequests\":$}", "maxRequests", 1L, 100_000L},
            new Object[] {"POST", "/ratelimits/ok/check", "{\"windowSeconds\":$}", "windowSeconds", 1L, 3600L},
            new Object[] {"POST", "/ratelimits/ok/check", "{\"maxRequests\":10,\"cost\":$}", "cost", 1L, 10L},
            new Object[] {"PUT", "/ratelimits/ok/policy", "{\"maxRequests\":$,\"windowSeconds\":30}", "maxRequests", 1L, 100_000L},
            new Object[] {"PUT", "/ratelimits/ok/policy", "{\"maxRequests\":5,\"windowSeconds\":$}", "windowSeconds", 1L, 3600L},
            new Object[] {"PUT", "/ratelimits/ok/policy", "{\"limits\":[{\"name\":\"t\",\"max\":$,\"windowSeconds\":60,"
                    + "\"algorithm\":\"token-bucket\"}]}", "limits[0].max", 1L, 1L << 50},
            new Object[] {"PUT", "/ratelimits/ok/policy", "{\"limits\":[{\"name\":\"t\",\"max\":5,\"windowSeconds\":$,"
                    + "\"algorithm\":\"sliding-counter\"}]}", "limits[0].windowSeconds", 1L, 31_622_400L},
            new Object[] {"PUT", "/ratelimits/ok/policy", "{\"limits\":[{\"name\":\"t\",\"max\":5,\"windowSeconds\":60,"
                    + "\"algorithm\":\"token-bucket\",\"burst\":$}]}", "limits[0].burst", 1L, 1L << 50},
            new Object[] {"POST", "/ratelimits/ok/adjust", "{\"delta\":$}", "delta", -(1L << 50), 1L << 50},
            new Object[] {"PUT", "/embeddings/ok", "{\"items\":[{\"text\":\"t\",\"vector\":[$,1.0]}]}", "items[0].vector[0]", null, null});

    /** String body fields: method, path, the body with {@code $} where the value goes, the field's name. */
    static final List<String[]> STRING_FIELDS = List.of(
            new String[] {"POST", "/queues/ok/tasks", "{\"name\":$}", "name"},
            new String[] {"POST", "/queues/ok/tasks", "{\"name\":\"echo\",\"priority\":$}", "priority"},
            new String[] {"POST", "/queues/ok/tasks", "{\"name\":\"echo\",\"idempotencyKey\":$}", "idempotencyKey"},
            new String[] {"PUT", "/queues/ok/schedules/ok", "{\"taskName\":$,\"everySeconds\":60}", "taskName"},
            new String[] {"PUT", "/queues/ok/schedules/ok", "{\"taskName\":\"echo\",\"cron\":$}", "cron"},
            new String[] {"PUT", "/queues/ok/schedules/ok", "{\"taskName\":\"echo\",\"everySeconds\":60,\"timeZone\":$}", "timeZone"},
            new String[] {"PUT", "/queues/ok/schedules/ok", "{\"taskName\":\"echo\",\"everySeconds\":60,\"priority\":$}", "priority"},
            new String[] {"POST", "/streams/ok/events", "{\"type\":$}", "type"},
            new String[] {"POST", "/streams/ok/events", "{\"type\":\"a\",\"priority\":$}", "priority"},
            new String[] {"POST", "/streams/ok/events", "{\"type\":\"a\",\"correlationId\":$}", "correlationId"},
            new String[] {"POST", "/streams/ok/events", "{\"type\":\"a\",\"source\":$}", "source"},
            new String[] {"PUT", "/embeddings/ok", "{\"items\":[{\"text\":$,\"vector\":[1.0,2.0]}]}", "items[0].text"},
            new String[] {"POST", "/embeddings/ok/lookup", "{\"texts\":[$]}", "texts[0]"},
            new String[] {"POST", "/sessions", "{\"userId\":$}", "userId"},
            new String[] {"POST", "/sessions", "{\"userId\":\"u1\",\"importance\":$}", "importance"});

    /** Fields holding a container: method, path, body with {@code $}, field name, the JSON type it must be. */
    static final List<String[]> CONTAINER_FIELDS = List.of(
            new String[] {"PUT", "/embeddings/ok", "{\"items\":$}", "items", "an array"},
            new String[] {"PUT", "/embeddings/ok", "{\"items\":[$]}", "items[0]", "a JSON object"},
            new String[] {"PUT", "/embeddings/ok", "{\"items\":[{\"text\":\"t\",\"vector\":$}]}", "items[0].vector", "an array"},
            new String[] {"POST", "/embeddings/ok/lookup", "{\"texts\":$}", "texts", "an array"},
            new String[] {"POST", "/sessions", "{\"userId\":\"u1\",\"data\":$}", "data", "a JSON object"});

    /** Free-form values (event data, task payloads, session fields): any JSON, but numbers of at most 1000 characters. */
    static final List<String[]> FREE_VALUES = List.of(
            new String[] {"POST", "/streams/ok/events", "{\"type\":\"a\",\"data\":{\"n\":$}}"},
            new String[] {"POST", "/queues/ok/tasks", "{\"name\":\"echo\",\"payload\":[$]}"},
            new String[] {"PUT", "/queues/ok/schedules/ok", "{\"taskName\":\"echo\",\"everySeconds\":60,\"payload\":[$]}"},
            new String[] {"POST", "/sessions", "{\"userId\":\"u1\",\"data\":{\"n\":$}}"},
            new String[] {"PATCH", "/sessions/nope", "{\"n\":$}"});

    /** Numbers in query strings: the path with {@code $}, the parameter, its range (null: not a number, no 5xx only). */
    static final List<Object[]> QUERY_NUMBERS = List.of(
            new Object[] {"/streams/ok/events?limit=$", "limit", 1L, 10_000L},
            new Object[] {"/streams/ok/dead-letters?limit=$", "limit", 1L, 10_000L},
            new Object[] {"/queues/ok/dead?limit=$", "limit", 1L, 1000L},
            new Object[] {"/queues?limit=$", "limit", 1L, 1000L},
            new Object[] {"/queues?stats=true&limit=$", "limit", 1L, 100L},
            new Object[] {"/queues/ok/tasks?state=pending&limit=$", "limit", 1L, 500L},
            new Object[] {"/streams?limit=$", "limit", 1L, 1000L},
            new Object[] {"/streams/ok/groups?consumers=$", "consumers", 0L, 1000L},
            new Object[] {"/embeddings?limit=$", "limit", 1L, 1000L},
            new Object[] {"/embeddings/ok/entries?maxScanCalls=$", "maxScanCalls", 1L, 100_000L},
            new Object[] {"/embeddings/ok/entries?scanCount=$", "scanCount", 10L, 10_000L},
            new Object[] {"/sessions?maxUsers=$", "maxUsers", 1L, 100_000L},
            new Object[] {"/ratelimits?limit=$", "limit", 1L, 1000L},
            new Object[] {"/streams/ok/events?after=$", "after", null, null},
            new Object[] {"/streams/ok/dead-letters?after=$", "after", null, null});

    /**
     * Every number any endpoint reads, at its extremes (±2^63 and one past, 1e308, 5,000 digits, -0, fractions where
     * integers belong, strings where numbers belong and the reverse): a value the field does not accept is a JSON
     * 400 naming the field and the rule; nothing answers 5xx. The tenant's write and policy-write budgets are raised
     * for the run (the rows are about input, not about the budgets, which {@code RateLimitApiIT} covers).
     */
    @Test
    void everyNumberAtItsExtremesIsA400NamingTheField() {
        String token = TestTokens.forTenant(NUMBERS_TENANT);
        assertEquals(200, send("PUT", url(NUMBERS_TENANT, "/ratelimits/api-writes/policy"),
                "{\"maxRequests\":100000,\"windowSeconds\":1}", token).statusCode());
        assertEquals(200, send("PUT", url(NUMBERS_TENANT, "/ratelimits/ratelimit-admin/policy"),
                "{\"maxRequests\":100000,\"windowSeconds\":1}", token).statusCode());
        List<String> failures = new ArrayList<>();
        for (Object[] f : NUMBER_FIELDS) {
            for (String v : EXTREME_NUMBERS) {
                boolean ok = f[4] == null ? isFloat32(v) : isIntegerIn(v, (Long) f[4], (Long) f[5]);
                expect(failures, (String) f[0], url(NUMBERS_TENANT, (String) f[1]), ((String) f[2]).replace("$", v), token,
                        ok ? null : (String) f[3]);
            }
        }
        for (String[] f : STRING_FIELDS) {
            for (String v : NOT_STRINGS) {
                expect(failures, f[0], url(NUMBERS_TENANT, f[1]), f[2].replace("$", v), token, f[3]);
            }
        }
        for (String[] f : CONTAINER_FIELDS) {
            for (String v : List.of("12", "\"x\"", "true", "1e308", f[4].equals("an array") ? "{}" : "[]")) {
                expect(failures, f[0], url(NUMBERS_TENANT, f[1]), f[2].replace("$", v), token, f[3]);
            }
        }
        for (String[] f : FREE_VALUES) {
            for (String v : EXTREME_NUMBERS) {
                // any JSON value is accepted here, except a number longer than 1000 characters
                expect(failures, f[0], url(NUMBERS_TENANT, f[1]), f[2].replace("$", v), token, v.length() > 1000 ? "" : null);
            }
        }
        List<String> queryValues = new ArrayList<>(EXTREME_NUMBERS);
        queryValues.addAll(List.of("abc", "%2B5", "18446744073709551615-0", "99999999999999999999-0", "1-18446744073709551616",
                "%00", "", "%20"));
        for (Object[] q : QUERY_NUMBERS) {
            for (String v : queryValues) {
                String value = v.startsWith("\"") || v.startsWith("[") || v.startsWith("{") ? enc(v) : v;
                String param = (String) q[1];
                boolean ok = q[2] == null || v.isEmpty() || isIntegerIn(v.replace("%2B", "+"), (Long) q[2], (Long) q[3])
                        && !v.contains(".") && !v.contains("e");
                expect(failures, "GET", url(NUMBERS_TENANT, ((String) q[0]).replace("$", value)), null, token,
                        ok ? null : q[2] == null ? "" : param);
            }
        }
        for (String since : List.of("%2B999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
                "0000-01-01T00:00:00Z", "9999-99-99T99:99:99Z", "1e308", "9".repeat(5000), "-0")) {
            boolean parses = !since.startsWith("9") && !since.equals("1e308") && !since.equals("-0");
            expect(failures, "GET", url(NUMBERS_TENANT, "/streams/ok/events?since=" + since), null, token, parses ? null : "since");
        }
        // numbers as path segments (ids and names are text: a number there is a name like any other, never parsed)
        // (each slot on its own, the others "ok": two 5,000-character segments would pass the HTTP layer's 8 KiB
        // request-line limit, which Payara refuses with an empty 400 before the application)
        for (String[] e : ENDPOINTS) {
            String[] parts = e[1].split("\\{name}", -1);
            for (int slot = 0; slot < parts.length - 1; slot++) {
                for (String v : EXTREME_NUMBERS) {
                    StringBuilder path = new StringBuilder(parts[0]);
                    for (int i = 1; i < parts.length; i++) {
                        path.append(i - 1 == slot ? enc(v) : "ok").append(parts[i]);
                    }
                    expect(failures, e[0], url(NUMBERS_TENANT, path.toString()), e[2], token, null);
                }
            }
        }
        // the live stream's position, as a header and as a query: refused before any event is streamed
        for (String id : List.of("99999999999999999999-0", "18446744073709551616-0", "1-18446744073709551616", "-1",
                "1e308", "9".repeat(5000), "1.5", "abc")) {
            String target = base.getPath() + "api/v1/tenants/" + NUMBERS_TENANT + "/streams/ok/sse";
            // over HTTP/1.1 (a 5,000-character header over HTTP/2: see expect)
            String[] answer = rawOrFail("GET", target, token, null, "Last-Event-ID: " + id);
            if (!answer[0].equals("400") || !answer[1].contains("event id") || !answer[1].startsWith("{\"")) {
                failures.add("GET /streams/ok/sse Last-Event-ID " + id.replaceAll("(.{40}).*", "$1...") + " -> "
                        + answer[0] + " " + answer[1]);
            }
            expect(failures, "GET", url(NUMBERS_TENANT, "/streams/ok/sse?after=" + id), null, token, "event id");
        }
        // numbers beyond every Java range in a session body: each must be a 400 naming the field
        expect(failures, "POST", url("B", "/sessions"), "{\"userId\":\"u1\",\"data\":{\"k\":\"v\"},\"ttlSeconds\":10000000000000000}",
                TestTokens.forTenant("B"), "ttlSeconds");
        expect(failures, "POST", url("B", "/sessions"), "{\"userId\":\"u1\",\"data\":{\"k\":\"v\"},\"ttlSeconds\":-9223372036854775809}",
                TestTokens.forTenant("B"), "ttlSeconds");
        expect(failures, "POST", url("B", "/sessions/s1/touch"), "{\"ttlSeconds\":10000000000000000}", TestTokens.forTenant("B"), "ttlSeconds");
        expect(failures, "POST", url("A", "/streams/sz/events"), "9".repeat(5000), TestTokens.forTenant("A"), "");
        expect(failures, "POST", url("A", "/embeddings/m1/lookup"), "{\"texts\":[[\"a\"]]}", TestTokens.forTenant("A"), "texts[0]");
        expect(failures, "POST", url("A", "/sessions"), "{\"userId\":\"u1\",\"ttlSeconds\":\"12\"}", TestTokens.forTenant("A"), "ttlSeconds");
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /**
     * One request and its expectation: {@code field} null → anything but 5xx (and a JSON body if an error);
     * {@code ""} → a JSON 400; a name → a JSON 400 whose message names that field and a rule ("must", "at most").
     */
    private void expect(List<String> failures, String method, String url, String body, String token, String field) {
        int s;
        String responseBody;
        if (url.length() > LONG_URL) {
            // over HTTP/1.1: Payara Micro's HTTP/2 layer answers a header block this large with an empty 431 and
            // then resets every later stream of the connection, which the shared client would carry into the next rows
            String[] answer = rawOrFail(method, url.substring(url.indexOf(base.getPath())), token, body);
            s = Integer.parseInt(answer[0]);
            responseBody = answer[1];
        } else {
            HttpResponse<String> r = send(method, url, body, token);
            s = r.statusCode();
            responseBody = r.body();
        }
        String what = method + " " + url.substring(url.indexOf("/tenants/")).replaceAll("(.{120}).*", "$1...")
                + (body == null ? "" : " body " + body.replaceAll("(.{120}).*", "$1..."));
        String got = " -> " + s + " " + responseBody.replaceAll("(?s)(.{300}).*", "$1...");
        if (s >= 500) {
            failures.add(what + got);
        } else if (s >= 400 && !responseBody.trim().startsWith("{\"")) {
            failures.add("non-JSON error: " + what + got);
        } else if (field != null && s != 400) {
            failures.add("expected 400: " + what + got);
        } else if (field != null && !field.isEmpty()
                && !(responseBody.contains("\\\"" + field + "\\\"") || responseBody.contains(" " + field + " "))) {
            failures.add("the message does not name " + field + ": " + what + got);
        } else if (field != null && !field.isEmpty() && !responseBody.contains("must") && !responseBody.contains("at most")) {
            failures.add("the message states no rule: " + what + got);
        }
    }

    /** URLs longer than this go over HTTP/1.1 (see {@link #expect}). */
    private static final int LONG_URL = 2000;

    private String[] rawOrFail(String method, String target, String token, String body, String... headers) {
        try {
            return raw(method, target, token, body, headers);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + target.replaceAll("(.{120}).*", "$1...") + ": " + e, e);
        }
    }

    private static boolean isIntegerIn(String v, long min, long max) {
        try {
            java.math.BigDecimal d = new java.math.BigDecimal(v);
            return d.compareTo(java.math.BigDecimal.valueOf(min)) >= 0 && d.compareTo(java.math.BigDecimal.valueOf(max)) <= 0
                    && d.stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isFloat32(String v) {
        try {
            return v.length() <= 1000 && !Float.isInfinite(Float.parseFloat(v)) && !v.startsWith("\"");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A raw {@code {x}} (and other characters a client must percent-encode) in a path segment reaches the server
     * unencoded (java.net.http refuses to send it, so this writes the request on a socket): the answer is the
     * API's JSON error, not the server's HTML page.
     */
    @Test
    void rawBracesInAPathAreAJsonError() throws Exception {
        List<String> failures = new ArrayList<>();
        String prefix = base.getPath() + "api/v1/tenants/";
        for (String target : List.of(prefix + "{x}/embeddings/m1", prefix + "acme/embeddings/{x}", prefix + "a|b/whoami",
                prefix + "a^b/whoami", prefix + "a`b/whoami", prefix + "{x}/sessions/{id}")) {
            String[] answer = raw("PUT", target, TestTokens.forTenant(TENANT), "{}");
            int status = Integer.parseInt(answer[0]);
            if (status >= 500 || status < 400 || !answer[1].trim().startsWith("{\"") || !answer[1].contains("\"status\":" + status)) {
                failures.add("PUT " + target + " -> " + status + " " + answer[1].replaceAll("(.{200}).*", "$1..."));
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /** Writes one HTTP/1.1 request with an unencoded target; returns the status and the body. */
    private String[] raw(String method, String target, String token, String body, String... headers) throws Exception {
        SENT.incrementAndGet();
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            byte[] content = (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
            String request = method + " " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + content.length + "\r\n" + String.join("", java.util.Arrays.stream(headers).map(h -> h + "\r\n")
                    .toArray(String[]::new)) + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String statusLine = response.substring(0, response.indexOf("\r\n"));
            int headersEnd = response.indexOf("\r\n\r\n");
            String answer = headersEnd < 0 ? "" : response.substring(headersEnd + 4);
            if (response.substring(0, Math.max(0, headersEnd)).toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                answer = dechunk(answer);
            }
            return new String[] {statusLine.split(" ")[1], answer};
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    /** Sends and counts: every request of this class goes through here (or {@link #raw}). */
    private static HttpResponse<String> send(String method, String url, String body, String token) {
        SENT.incrementAndGet();
        return Http.send(method, url, body, token);
    }

    @AfterAll
    static void reportHowManyRequests() {
        System.out.println("HostileInputIT sent " + SENT.get() + " requests");
    }

    private static String enc(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String url(String tenant, String path) {
        return base + "api/v1/tenants/" + tenant + path;
    }

    private static void check(List<String> failures, String method, String url, String body, String token, boolean must4xx) {
        HttpResponse<String> r;
        try {
            r = send(method, url, body, token);
        } catch (RuntimeException ex) {
            return; // the client refused to send it (e.g. an illegal character in the URL): nothing reached the server
        }
        int s = r.statusCode();
        String what = method + " " + url.substring(Math.min(url.length(), url.indexOf("/tenants/"))).replaceAll("(.{160}).*", "$1...")
                + (body == null ? "" : " body " + body.substring(0, Math.min(60, body.length())));
        if (s >= 500) {
            failures.add(s + " " + what + " -> " + r.body().substring(0, Math.min(300, r.body().length())));
        } else if (must4xx && (s < 400)) {
            failures.add("accepted (" + s + ") " + what);
        } else if (s == 400 && r.body().isEmpty() && url.contains("%5C")) {
            // an encoded backslash is refused by the HTTP server itself, before any application code: an empty
            // 400 is the best any deployment gets there (documented)
            return;
        } else if (s >= 400 && !r.body().trim().startsWith("{")) {
            failures.add("non-JSON " + s + " " + what + " -> " + r.body().substring(0, Math.min(120, r.body().length())));
        }
    }
}
