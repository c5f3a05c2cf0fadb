package io.mcpcrew.crew.metrics;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.redis.RedisManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The metrics of one {@link RedisManager} and the components built on it, in a Micrometer
 * {@link PrometheusMeterRegistry} of its own (never a global registry: two applications in one server, or two
 * managers in one test, keep theirs apart). Components record into it through pre-resolved meters
 * ({@link TenantMeters}) and register {@link RedisReader}s for the gauges that need Redis; {@link #scrape} refreshes
 * those (at most once per {@code redis.crew.metrics.redis-read-interval}) and writes the Prometheus or OpenMetrics
 * text. It also keeps the memory watch ({@link #memory}), which works with metrics off too.
 *
 * <p>With {@code redis.crew.metrics.enabled=false} the registry is an empty composite: every meter is a no-op, the
 * components skip their meters, and {@link #scrape} throws {@link MetricsDisabledException}.
 */
public final class CrewMetrics implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CrewMetrics.class.getName());
    private static final CrewMetrics DISABLED = new CrewMetrics(MetricsSettings.disabled(), null);

    private final MetricsSettings settings;
    private final RedisManager redis;
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final TenantPolicy tenants;
    private final Map<String, Object> components = new ConcurrentHashMap<>();
    private final Map<String, RedisReader> readers = new java.util.LinkedHashMap<>();
    private final List<String> workKeys = new CopyOnWriteArrayList<>();
    private final RedisServerReader server;
    private final Counter readFailures;
    private volatile ScrapeReport lastRead;
    private volatile ExpositionFormats formats;
    private long lastReadNanos;
    private long lastMemoryNanos;
    private boolean everRead;
    private boolean everReadMemory;

    private CrewMetrics(MetricsSettings settings, RedisManager redis) {
        this.settings = settings;
        this.redis = redis;
        if (settings.enabled()) {
            this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.registry = prometheus;
        } else {
            this.prometheus = null;
            this.registry = new CompositeMeterRegistry();
        }
        this.tenants = new TenantPolicy(settings.maxTenants(), settings.tenantReselectInterval(), System.nanoTime());
        this.server = new RedisServerReader(registry, settings.memoryWarnShare(), workKeys);
        this.readFailures = Counter.builder("crew.metrics.redis.read.failures")
                .description("reads of the Redis gauges that failed (Redis unavailable); the gauges keep their values")
                .register(registry);
        Gauge.builder("crew.metrics.redis.read.duration", this, m -> m.lastRead == null ? 0
                : m.lastRead.took().toNanos() / 1e9).description("how long the last read of the Redis gauges took")
                .baseUnit("seconds").strongReference(true).register(registry);
        Gauge.builder("crew.metrics.redis.read.round.trips", this, m -> m.lastRead == null ? 0 : m.lastRead.roundTrips())
                .description("round trips the last read of the Redis gauges took").strongReference(true)
                .register(registry);
        Gauge.builder("crew.metrics.redis.read.commands", this, m -> m.lastRead == null ? 0 : m.lastRead.commands())
                .description("commands the last read of the Redis gauges sent").strongReference(true)
                .register(registry);
        Gauge.builder("crew.metrics.tenants.selected", this, m -> m.tenants.selected().size())
                .description("tenants with series of their own (redis.crew.metrics.max-tenants)").strongReference(true)
                .register(registry);
    }

    /** The metrics of a manager: from its settings, reading Redis through {@code redis}. */
    public static CrewMetrics create(MetricsSettings settings, RedisManager redis) {
        return new CrewMetrics(settings, redis);
    }

    /** A shared instance with metrics off and no Redis (no memory watch): for managers without metrics. */
    public static CrewMetrics disabled() {
        return DISABLED;
    }

    public boolean enabled() {
        return prometheus != null;
    }

    public MetricsSettings settings() {
        return settings;
    }

    /** The registry: the application may add meters of its own; they are scraped with Crew's. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The cardinality policy shared by every component of this manager. */
    public TenantPolicy tenants() {
        return tenants;
    }

    /** Per-tenant, per-name meters of one component under the policy (see {@link TenantMeters}). */
    public <M> TenantMeters<M> tenantMeters(TenantMeters.Factory<M> factory, Consumer<M> remover) {
        return new TenantMeters<>(tenants, settings.maxNamesPerTenant(), factory, remover);
    }

    /** Removes meters from the registry (a remover for {@link #tenantMeters}). */
    public void remove(Meter... meters) {
        for (Meter m : meters) {
            if (m != null) {
                registry.remove(m);
            }
        }
    }

    /**
     * Gauges of a component's local fallback: what it holds to write back when Redis returns, and the records of its
     * journal on disk ({@code crew.fallback.buffered}, {@code crew.fallback.journal.records}, label {@code component}).
     */
    public void fallback(String component, java.util.function.IntSupplier buffered,
            java.util.function.IntSupplier journaled) {
        Gauge.builder("crew.fallback.buffered", buffered, IntSupplierValue::of).description("writes accepted while "
                + "Redis was unavailable and not written back yet, by component").tag("component", component)
                .strongReference(true).register(registry);
        if (journaled != null) {
            Gauge.builder("crew.fallback.journal.records", journaled, IntSupplierValue::of).description("records in "
                    + "the component's fallback journal on disk").tag("component", component).strongReference(true)
                    .register(registry);
        }
    }

    private static final class IntSupplierValue {
        static double of(java.util.function.IntSupplier s) {
            return s.getAsInt();
        }
    }

    /** The one instance of a component's metrics per manager: created by the first caller of {@code key}. */
    @SuppressWarnings("unchecked")
    public <T> T component(String key, Supplier<T> create) {
        return (T) components.computeIfAbsent(key, k -> create.get());
    }

    /** Adds a reader of Redis gauges under {@code key} (a second reader of the same key is ignored). */
    public synchronized void addReader(String key, RedisReader reader) {
        if (enabled()) {
            readers.putIfAbsent(key, reader);
        }
    }

    /**
     * Names a key whose existence means task queues or event streams live in this Redis (a registry of them): the
     * eviction-policy warning is raised only then.
     */
    public void addWorkKey(String key) {
        if (!workKeys.contains(key)) {
            workKeys.add(key);
        }
    }

    /**
     * Reads the Redis gauges if the last read is older than {@code redis.crew.metrics.redis-read-interval} (and
     * chooses the selected tenants again when due). Concurrent scrapes share one read.
     *
     * @return the report of the read the gauges now hold (empty: none yet)
     */
    public synchronized Optional<ScrapeReport> refresh() {
        long now = System.nanoTime();
        tenants.maybeReselect(now);
        if (redis == null || everRead && now - lastReadNanos < settings.redisReadInterval().toNanos()) {
            return Optional.ofNullable(lastRead);
        }
        return Optional.of(readNow());
    }

    /** Reads the Redis gauges now, whatever the interval (tests, benchmarks). */
    public synchronized ScrapeReport readNow() {
        long t0 = System.nanoTime();
        RedisReads reads = new RedisReads(redis);
        List<RedisReader> all = new ArrayList<>(readers.values());
        all.add(server); // last: it knows from the others whether queues and streams live here
        int failures = 0;
        for (RedisReader r : all) {
            try {
                r.read(reads);
            } catch (RedisCrewException | IllegalStateException e) {
                failures++;
                readFailures.increment();
                LOG.log(Level.FINE, "a read of the Redis gauges failed; they keep their values", e);
            }
        }
        everRead = true;
        everReadMemory = true;
        lastReadNanos = System.nanoTime();
        lastMemoryNanos = lastReadNanos;
        lastRead = new ScrapeReport(Instant.now(), Duration.ofNanos(lastReadNanos - t0), reads.roundTrips(),
                reads.commands(), failures);
        return lastRead;
    }

    /**
     * Chooses the tenants with series of their own now (the most active since the last choice), as the interval
     * would: for tests and tools.
     */
    public void reselectTenants() {
        tenants.reselect(System.nanoTime());
    }

    /** The report of the last read of the Redis gauges. */
    public Optional<ScrapeReport> lastRead() {
        return Optional.ofNullable(lastRead);
    }

    /**
     * Redis memory and its warnings, read again ({@code INFO}) if the last read is older than
     * {@code redis.crew.metrics.redis-read-interval}: for the readiness check. A failed read keeps the last status.
     */
    public synchronized MemoryStatus memory() {
        long now = System.nanoTime();
        if (redis != null && (!everReadMemory || now - lastMemoryNanos >= settings.redisReadInterval().toNanos())) {
            try {
                server.read(new RedisReads(redis));
                everReadMemory = true;
                lastMemoryNanos = System.nanoTime();
            } catch (RedisCrewException e) {
                LOG.log(Level.FINE, "reading Redis memory failed", e);
            }
        }
        return server.status();
    }

    /**
     * Refreshes the Redis gauges when due and writes every meter in the format {@code accept} asks for: OpenMetrics
     * 1.0.0 when it accepts {@code application/openmetrics-text}, else the Prometheus text format 0.0.4.
     *
     * @throws MetricsDisabledException with {@code redis.crew.metrics.enabled=false}
     */
    public Scrape scrape(String accept) {
        if (!enabled()) {
            throw new MetricsDisabledException();
        }
        refresh();
        ExpositionFormats formats = formats();
        ExpositionFormatWriter w = accept != null && accept.contains("application/openmetrics-text")
                ? formats.getOpenMetricsTextFormatWriter() : formats.getPrometheusTextFormatWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            prometheus.scrape(out, w.getContentType());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scrape(w.getContentType(), out.toString(StandardCharsets.UTF_8));
    }

    private ExpositionFormats formats() {
        ExpositionFormats f = formats;
        if (f == null) {
            f = ExpositionFormats.init(); // reads the prometheus-metrics properties once
            formats = f;
        }
        return f;
    }

    @Override
    public void close() {
        registry.close();
    }
}
