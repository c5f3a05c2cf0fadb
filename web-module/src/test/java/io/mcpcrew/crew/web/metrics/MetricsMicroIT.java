package io.mcpcrew.crew.web.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.PrometheusServer;
import io.mcpcrew.crew.testing.PrometheusText;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.testing.TestTokens;
import io.mcpcrew.crew.web.Http;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * {@code GET /crew/api/v1/metrics} of the real WAR on Payara Micro: who may scrape, the two text formats, counters
 * that move when a task runs through the HTTP API and the built-in workers, the Redis memory in readiness, and a real
 * Prometheus server scraping the application and answering queries for a task counter and the Redis memory gauge.
 */
@ExtendWith(RedisServerExtension.class) // before Arquillian: Redis is up when Micro starts
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsMicroIT {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar();
    }

    @ArquillianResource
    URL base;

    private String metricsUrl() {
        return base + "api/v1/metrics";
    }

    private PrometheusText scrape() {
        HttpResponse<String> r = Http.get(metricsUrl(), TestTokens.scraper());
        assertEquals(200, r.statusCode(), r.body());
        return PrometheusText.parse(r.body());
    }

    @Test
    @Order(1)
    void onlyTheScrapeAndAdminGroupsMayScrape() {
        HttpResponse<String> none = Http.get(metricsUrl(), null);
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.body().contains("crew-metrics"), none.body());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        HttpResponse<String> tenant = Http.get(metricsUrl(), TestTokens.forTenant("acme"));
        assertEquals(403, tenant.statusCode(), tenant.body());
        assertTrue(tenant.body().contains("\"status\":403"), tenant.body());
        HttpResponse<String> expired = Http.get(metricsUrl(), TestTokens.expired("acme"));
        assertEquals(401, expired.statusCode(), expired.body());

        HttpResponse<String> scraper = Http.get(metricsUrl(), TestTokens.scraper());
        assertEquals(200, scraper.statusCode(), scraper.body());
        assertTrue(scraper.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                scraper.headers().toString());
        assertTrue(scraper.body().contains("# TYPE crew_redis_memory_used_bytes gauge"), scraper.body());
        assertEquals(200, Http.get(metricsUrl(), TestTokens.admin()).statusCode());

        HttpResponse<String> om = Http.send(HttpRequest.newBuilder(URI.create(metricsUrl())).GET()
                .header("Authorization", "Bearer " + TestTokens.scraper())
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"));
        assertEquals(200, om.statusCode(), om.body());
        assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"),
                om.headers().toString());
        assertTrue(om.body().trim().endsWith("# EOF"), "OpenMetrics ends with # EOF");
    }

    @Test
    @Order(2)
    void aTaskRunThroughTheApiMovesTheCounters() throws Exception {
        PrometheusText before = scrape();
        double enqueued = before.sum("crew_tasks_enqueued_total", "tenant", "metrics", "queue", "jobs");
        double succeeded = before.sum("crew_tasks_attempts_total", "tenant", "metrics", "queue", "jobs", "outcome",
                "succeeded");
        String id = enqueueEcho();
        String done = Http.get(base + "api/v1/tenants/metrics/queues/jobs/tasks/" + id + "?wait=30").body();
        assertTrue(done.contains("\"state\":\"SUCCEEDED\""), done);
        PrometheusText after = awaitScrape("the success is counted", s -> s.sum("crew_tasks_attempts_total", "tenant",
                "metrics", "queue", "jobs", "outcome", "succeeded") == succeeded + 1);
        assertEquals(enqueued + 1, after.value("crew_tasks_enqueued_total", "tenant", "metrics", "queue", "jobs"));
        assertTrue(after.value("crew_tasks_handler_duration_seconds_count", "tenant", "metrics", "queue", "jobs") >= 1);
        assertTrue(after.value("crew_tasks_queue_wait_seconds_count", "tenant", "metrics", "queue", "jobs") >= 1);
        // the Redis-side totals are read at most once per redis-read-interval (1 s here)
        awaitScrape("Redis' own total of the queue", s -> s.sum("crew_tasks_stored_events_total", "tenant", "metrics",
                "queue", "jobs", "event", "succeeded") >= 1);
        assertTrue(after.sum("crew_redis_commands_seconds_count") > 0, "round trips are timed");
        assertTrue(after.has("crew_ratelimit_decisions_total", "resource", "api-writes", "outcome", "allowed"),
                "the API's write budget decisions are counted");
    }

    @Test
    @Order(3)
    void readinessCarriesRedisMemory() {
        HttpResponse<String> ready = Http.get(Http.root(base) + "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"usedMemoryBytes\""), ready.body());
        assertTrue(ready.body().contains("\"maxMemoryBytes\""), ready.body());
        assertTrue(ready.body().contains("\"maxMemoryPolicy\":\"noeviction\""), ready.body());
    }

    @Test
    @Order(4)
    void aRealPrometheusScrapesTheApplication() throws Exception {
        String id = enqueueEcho();
        assertTrue(Http.get(base + "api/v1/tenants/metrics/queues/jobs/tasks/" + id + "?wait=30").body()
                .contains("SUCCEEDED"));
        Path dir = Path.of("target", "prometheus-" + System.nanoTime());
        try (PrometheusServer prometheus = PrometheusServer.start(base.getHost() + ":" + base.getPort(),
                base.getPath() + "api/v1/metrics", TestTokens.scraper(), dir)) {
            double tasks = await("Prometheus has the task counter", () -> prometheus.query(
                    "sum(crew_tasks_enqueued_total{tenant=\"metrics\",queue=\"jobs\"})"), prometheus);
            assertTrue(tasks >= 2, "two tasks were enqueued: " + tasks);
            double used = await("Prometheus has the Redis memory gauge", () -> prometheus.query(
                    "max(crew_redis_memory_used_bytes)"), prometheus);
            assertTrue(used > 0, "used memory " + used);
            double up = await("the target is up", () -> prometheus.query("up{job=\"crew\"}"), prometheus);
            assertEquals(1, up, prometheus.targets());
        }
    }

    private String enqueueEcho() {
        HttpResponse<String> r = Http.send("POST", base + "api/v1/tenants/metrics/queues/jobs/tasks",
                "{\"name\":\"echo\",\"payload\":{\"n\":1}}");
        assertEquals(201, r.statusCode(), r.body());
        Matcher m = ID.matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }

    private PrometheusText awaitScrape(String what, java.util.function.Predicate<PrometheusText> ok)
            throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (true) {
            PrometheusText s = scrape();
            if (ok.test(s)) {
                return s;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    private static double await(String what, Supplier<Optional<Double>> query, PrometheusServer p)
            throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (true) {
            Optional<Double> v = query.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what + "; targets: " + p.targets() + "; log: "
                        + p.log());
            }
            Thread.sleep(250);
        }
    }
}
