package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.metrics.CrewMetrics;
import io.mcpcrew.crew.metrics.TenantMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * This node's session meters per tenant, under the cardinality policy: sessions created, revoked (deleted before
 * their expiry) and expired (index entries of expired sessions that this node's cleanup removed). One per manager;
 * every method is a no-op with metrics off.
 */
final class SessionMetrics {
    /** The one name of a tenant's session meters (they are per tenant only). */
    private static final String ALL = "sessions";

    private final TenantMeters<Counters> tenants;

    private SessionMetrics(CrewMetrics metrics) {
        MeterRegistry r = metrics.registry();
        this.tenants = metrics.enabled() ? metrics.tenantMeters((t, n) -> new Counters(r, t),
                m -> metrics.remove(m.created, m.revoked, m.expired)) : null;
    }

    static SessionMetrics of(CrewMetrics metrics) {
        return metrics.component("sessions", () -> new SessionMetrics(metrics));
    }

    void created(String tenant) {
        if (tenants != null) {
            tenants.handle(tenant, ALL).get().created.increment();
        }
    }

    void revoked(String tenant, int n) {
        if (tenants != null && n > 0) {
            tenants.handle(tenant, ALL).get().revoked.increment(n);
        }
    }

    void expired(String tenant, int n) {
        if (tenants != null && n > 0) {
            tenants.handle(tenant, ALL).get().expired.increment(n);
        }
    }

    /** One tenant's counters. */
    private static final class Counters {
        final Counter created;
        final Counter revoked;
        final Counter expired;

        Counters(MeterRegistry r, String tenant) {
            created = Counter.builder("crew.sessions.creations").description("sessions this node created")
                    .tag("tenant", tenant).register(r);
            revoked = Counter.builder("crew.sessions.revoked").description("sessions this node deleted before they "
                    + "expired").tag("tenant", tenant).register(r);
            expired = Counter.builder("crew.sessions.expired").description("expired sessions this node's cleanup "
                    + "removed from the users' indexes").tag("tenant", tenant).register(r);
        }
    }
}
