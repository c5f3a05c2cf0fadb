package io.mcpcrew.crew.events;

import io.mcpcrew.crew.metrics.CrewMetrics;
import io.mcpcrew.crew.metrics.TenantMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * This node's event meters per tenant and stream, under the cardinality policy: events published (to Redis, or
 * buffered while it was unavailable) and events its consumers moved to the dead-letter stream. One per manager;
 * every method is a no-op with metrics off.
 */
final class EventMetrics {
    private final TenantMeters<StreamMeters> streams;

    private EventMetrics(CrewMetrics metrics) {
        MeterRegistry r = metrics.registry();
        this.streams = metrics.enabled() ? metrics.tenantMeters((t, s) -> new StreamMeters(r, t, s),
                m -> metrics.remove(m.published, m.buffered, m.deadLettered)) : null;
    }

    static EventMetrics of(CrewMetrics metrics) {
        return metrics.component("events", () -> new EventMetrics(metrics));
    }

    void published(String tenant, String stream, int n, boolean buffered) {
        if (streams != null && n > 0) {
            StreamMeters m = streams.handle(tenant, stream).get();
            (buffered ? m.buffered : m.published).increment(n);
        }
    }

    void deadLettered(String tenant, String stream) {
        if (streams != null) {
            streams.handle(tenant, stream).get().deadLettered.increment();
        }
    }

    private static final class StreamMeters {
        final Counter published;
        final Counter buffered;
        final Counter deadLettered;

        StreamMeters(MeterRegistry r, String tenant, String stream) {
            published = published(r, tenant, stream, "redis");
            buffered = published(r, tenant, stream, "buffer");
            deadLettered = Counter.builder("crew.events.dead.lettered").description("events this node's consumers "
                    + "moved to the dead-letter stream").tag("tenant", tenant).tag("stream", stream).register(r);
        }

        private static Counter published(MeterRegistry r, String tenant, String stream, String path) {
            return Counter.builder("crew.events.published").description("events this node published, by path: redis, "
                    + "or buffer (accepted while Redis was unavailable, written back later)").tag("tenant", tenant)
                    .tag("stream", stream).tag("path", path).register(r);
        }
    }
}
