package io.mcpcrew.crew.sessions;

import java.time.Duration;
import java.util.List;

/**
 * User sessions with a time to live, per tenant. Inject it ({@code @Inject SessionManager sessions}) and bind it to
 * a tenant: {@code sessions.forTenant("acme").createSession("alice", Map.of("cart", 3))}. The Redis implementation
 * is {@link RedisSessionManager}.
 */
public interface SessionManager {

    /** The sessions of one tenant; throws {@link io.mcpcrew.crew.validation.InvalidNameException} for a bad tenant id. */
    TenantSessions forTenant(String tenant);

    /** Tenants that have (or recently had) sessions: the ones a cleanup run visits. */
    List<String> tenantsWithSessions();

    /**
     * Runs {@link TenantSessions#cleanupExpiredSessions()} for every tenant with sessions, each under a short
     * distributed lock so that two nodes never clean the same tenant at once (a tenant locked by another node is
     * skipped this round). Returns how many stale index entries were removed.
     */
    int cleanupAllTenants();

    /** The largest TTL a session may be given explicitly ({@code redis.crew.sessions.max-ttl}). */
    Duration maxTtl();
}
