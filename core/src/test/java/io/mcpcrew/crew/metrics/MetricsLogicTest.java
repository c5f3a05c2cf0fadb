package io.mcpcrew.crew.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.testing.PrometheusText;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cardinality policy, the settings and the scrape text, without Redis (a {@link CrewMetrics} with no manager). */
class MetricsLogicTest {

    private static CrewMetrics metrics(int maxTenants, int maxNames) {
        return CrewMetrics.create(new MetricsSettings(true, maxTenants, maxNames, Duration.ofMinutes(5),
                Duration.ofSeconds(10), 1000, 0.85), null);
    }

    private static TenantMeters<Counter> counters(CrewMetrics m) {
        return m.tenantMeters((t, n) -> Counter.builder("test.ops").tag("tenant", t).tag("name", n)
                .register(m.registry()), m::remove);
    }

    private static PrometheusText scrape(CrewMetrics m) {
        return PrometheusText.parse(m.scrape(null).body());
    }

    @Test
    void theFirstTenantsAndNamesHaveSeriesTheRestShareOther() {
        CrewMetrics m = metrics(2, 2);
        TenantMeters<Counter> c = counters(m);
        c.handle("a", "x").get().increment();
        c.handle("a", "y").get().increment();
        c.handle("a", "z").get().increment(); // third name of a: _other
        c.handle("a", "w").get().increment(); // fourth: _other too
        c.handle("b", "x").get().increment();
        c.handle("c", "x").get().increment(); // third tenant: _other
        c.handle("d", "y").get().increment();
        PrometheusText s = scrape(m);
        assertEquals(1, s.value("test_ops_total", "tenant", "a", "name", "x"));
        assertEquals(2, s.value("test_ops_total", "tenant", "a", "name", "_other"));
        assertEquals(1, s.value("test_ops_total", "tenant", "b", "name", "x"));
        assertEquals(2, s.value("test_ops_total", "tenant", "_other", "name", "_other"));
        assertEquals(5, s.find("test_ops_total").size(), "a/x a/y a/_other b/x _other/_other");
        assertSame(c.handle("a", "x"), c.handle("a", "x"), "a handle is resolved once and kept");
        assertSame(c.handle("a", "z"), c.handle("a", "w"), "names past the cap share the tenant's _other");
        assertEquals(List.of("a", "b"), m.tenants().selected());
    }

    @Test
    void reselectionFollowsActivityAndEndsTheSeriesOfTenantsLeft() {
        CrewMetrics m = metrics(1, 5);
        TenantMeters<Counter> c = counters(m);
        TenantMeters.Handle<Counter> a = c.handle("a", "x");
        TenantMeters.Handle<Counter> b = c.handle("b", "x");
        a.get().increment();
        for (int i = 0; i < 3; i++) {
            b.get().increment(); // counted in _other: b is not chosen yet
        }
        m.reselectTenants();
        assertEquals(List.of("b"), m.tenants().selected());
        b.get().increment();
        a.get().increment();
        PrometheusText s = scrape(m);
        assertFalse(s.has("test_ops_total", "tenant", "a"), "a left the choice: its series was removed");
        assertEquals(1, s.value("test_ops_total", "tenant", "b", "name", "x"), "b counts from its choice on");
        assertEquals(4, s.value("test_ops_total", "tenant", "_other", "name", "_other"),
                "the aggregate only grows: b's 3 before, a's 1 after");
        m.reselectTenants(); // no activity since: the choice stays
        assertEquals(List.of("b"), m.tenants().selected());
    }

    @Test
    void aTenantIsChosenByItsFirstOperationNotByBeingSeen() {
        CrewMetrics m = metrics(2, 5);
        TenantMeters<Counter> c = counters(m);
        c.handle("idle-1", "x"); // resolved (a worker's view of a queue in the registry) but never used
        c.handle("idle-2", "x");
        c.handle("a", "x").get().increment();
        c.handle("b", "x").get().increment();
        assertEquals(List.of("a", "b"), m.tenants().selected());
        PrometheusText s = scrape(m);
        assertFalse(s.has("test_ops_total", "tenant", "idle-1"));
        assertEquals(1, s.value("test_ops_total", "tenant", "a", "name", "x"));
    }

    @Test
    void zeroTenantsMeansEverythingIsOther() {
        CrewMetrics m = metrics(0, 5);
        TenantMeters<Counter> c = counters(m);
        c.handle("a", "x").get().increment();
        c.handle("b", "y").get().increment();
        PrometheusText s = scrape(m);
        assertEquals(1, s.find("test_ops_total").size());
        assertEquals(2, s.value("test_ops_total", "tenant", "_other", "name", "_other"));
    }

    @Test
    void openMetricsIsWrittenWhenAsked() {
        CrewMetrics m = metrics(5, 5);
        counters(m).handle("a", "x").get().increment();
        Scrape om = m.scrape("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertTrue(om.contentType().startsWith("application/openmetrics-text"), om.contentType());
        assertTrue(om.body().trim().endsWith("# EOF"));
        Scrape text = m.scrape("*/*");
        assertTrue(text.contentType().startsWith("text/plain; version=0.0.4"), text.contentType());
    }

    @Test
    void settingsAreValidatedWithTheKeyInTheMessage() {
        assertEquals(0.85, MetricsSettings.load(ConfigSource.of(Map.of())).memoryWarnShare());
        assertEquals(0.9, MetricsSettings.load(ConfigSource.of(Map.of("redis.crew.memory.warn-share", "90%")))
                .memoryWarnShare(), 1e-9);
        assertEquals(0, MetricsSettings.load(ConfigSource.of(Map.of("redis.crew.memory.warn-share", "0")))
                .memoryWarnShare());
        for (String bad : List.of("1.5", "-0.1", "abc", "150%")) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> MetricsSettings.load(
                    ConfigSource.of(Map.of("redis.crew.memory.warn-share", bad))));
            assertTrue(e.getMessage().contains("redis.crew.memory.warn-share") && e.getMessage().contains(bad),
                    e.getMessage());
        }
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> MetricsSettings.load(
                ConfigSource.of(Map.of("redis.crew.metrics.max-tenants", "-1"))));
        assertTrue(e.getMessage().contains("REDIS_CREW_METRICS_MAX_TENANTS"), e.getMessage());
    }

    @Test
    void disabledMetricsAreNoOpsAndRefuseToScrape() {
        CrewMetrics m = CrewMetrics.disabled();
        assertFalse(m.enabled());
        assertThrows(MetricsDisabledException.class, () -> m.scrape("text/plain"));
        assertTrue(m.memory().nodes().isEmpty(), "no manager: nothing read");
    }
}
