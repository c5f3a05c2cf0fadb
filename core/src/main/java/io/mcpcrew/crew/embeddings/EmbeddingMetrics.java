package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.metrics.CrewMetrics;
import io.mcpcrew.crew.metrics.TenantMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * This node's embedding meters per tenant and model, under the cardinality policy: lookups by result (hit, miss),
 * vectors stored, vectors computed through {@code getOrCompute}, and vector bytes read and written. Recorded by
 * {@link ModelCounters} next to its own counters. One per manager; null handles with metrics off.
 */
final class EmbeddingMetrics {
    private final TenantMeters<ModelMeters> models;

    private EmbeddingMetrics(CrewMetrics metrics) {
        MeterRegistry r = metrics.registry();
        this.models = metrics.enabled() ? metrics.tenantMeters((t, m) -> new ModelMeters(r, t, m),
                m -> metrics.remove(m.hits, m.misses, m.stored, m.computed, m.bytesRead, m.bytesWritten)) : null;
    }

    static EmbeddingMetrics of(CrewMetrics metrics) {
        return metrics.component("embeddings", () -> new EmbeddingMetrics(metrics));
    }

    /** The meters of a tenant's model; null with metrics off. */
    TenantMeters.Handle<ModelMeters> model(String tenant, String model) {
        return models == null ? null : models.handle(tenant, model);
    }

    /** One model's meters (or an aggregate). */
    static final class ModelMeters {
        final Counter hits;
        final Counter misses;
        final Counter stored;
        final Counter computed;
        final Counter bytesRead;
        final Counter bytesWritten;

        ModelMeters(MeterRegistry r, String tenant, String model) {
            hits = lookups(r, tenant, model, "hit");
            misses = lookups(r, tenant, model, "miss");
            stored = Counter.builder("crew.embeddings.stored").description("vectors this node stored (in Redis, or in "
                    + "the local LRU while Redis was unavailable)").tag("tenant", tenant).tag("model", model).register(r);
            computed = Counter.builder("crew.embeddings.computed").description("vectors computed by an embedder through "
                    + "getOrCompute").tag("tenant", tenant).tag("model", model).register(r);
            bytesRead = bytes(r, tenant, model, "read");
            bytesWritten = bytes(r, tenant, model, "written");
        }

        private static Counter lookups(MeterRegistry r, String tenant, String model, String result) {
            return Counter.builder("crew.embeddings.lookups").description("texts this node looked up, by result (hit or "
                    + "miss)").tag("tenant", tenant).tag("model", model).tag("result", result).register(r);
        }

        private static Counter bytes(MeterRegistry r, String tenant, String model, String direction) {
            return Counter.builder("crew.embeddings.vector.bytes").description("vector bytes this node read or wrote")
                    .baseUnit("bytes").tag("tenant", tenant).tag("model", model).tag("direction", direction).register(r);
        }
    }
}
