package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.metrics.CrewMetrics;
import io.mcpcrew.crew.metrics.TenantMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * This node's rate-limit decisions per tenant and resource, under the cardinality policy, by outcome (allowed,
 * denied) and by what decided ({@link DecidedBy}: redis, local_fallback, fail_open, fail_closed). The counter of a
 * combination is created on its first decision. One per manager; null handles with metrics off.
 */
final class RateLimitMetrics {
    private final TenantMeters<ResourceMeters> resources;

    private RateLimitMetrics(CrewMetrics metrics) {
        MeterRegistry r = metrics.registry();
        this.resources = metrics.enabled() ? metrics.tenantMeters((t, res) -> new ResourceMeters(r, t, res),
                m -> m.removeFrom(metrics)) : null;
    }

    static RateLimitMetrics of(CrewMetrics metrics) {
        return metrics.component("ratelimit", () -> new RateLimitMetrics(metrics));
    }

    /** The meters of a tenant's resource; null with metrics off. */
    TenantMeters.Handle<ResourceMeters> resource(String tenant, String resource) {
        return resources == null ? null : resources.handle(tenant, resource);
    }

    /** One resource's decision counters (or an aggregate). */
    static final class ResourceMeters {
        private final MeterRegistry registry;
        private final String tenant;
        private final String resource;
        private final Counter[] counters = new Counter[DecidedBy.values().length * 2];

        ResourceMeters(MeterRegistry registry, String tenant, String resource) {
            this.registry = registry;
            this.tenant = tenant;
            this.resource = resource;
            counter(DecidedBy.REDIS, true);
            counter(DecidedBy.REDIS, false);
        }

        void decided(boolean allowed, DecidedBy by) {
            counter(by, allowed).increment();
        }

        private Counter counter(DecidedBy by, boolean allowed) {
            int i = by.ordinal() * 2 + (allowed ? 1 : 0);
            Counter c = counters[i];
            if (c == null) {
                synchronized (this) {
                    c = counters[i];
                    if (c == null) {
                        c = Counter.builder("crew.ratelimit.decisions").description("rate-limit checks this node "
                                + "decided, by outcome and by what decided (redis, or a fallback while Redis was "
                                + "unavailable)").tag("tenant", tenant).tag("resource", resource)
                                .tag("outcome", allowed ? "allowed" : "denied")
                                .tag("decided_by", by.name().toLowerCase(Locale.ROOT)).register(registry);
                        counters[i] = c;
                    }
                }
            }
            return c;
        }

        synchronized void removeFrom(CrewMetrics metrics) {
            List<Counter> all = new ArrayList<>();
            for (Counter c : counters) {
                if (c != null) {
                    all.add(c);
                }
            }
            metrics.remove(all.toArray(new Counter[0]));
        }
    }
}
