package io.mcpcrew.crew.sessions;

import java.time.Duration;
import java.util.List;

/**
 * User sessions with a time to live, per tenant. Inject it ({@code @Inject SessionManager sessions}) and bind it to
 * a tenant: {@code sessions.forTenant("acme").createSession("alice", Map.of("cart", 3))}. The Redis implementation
 * is {@link RedisSessionManager}.
 */
public interface SessionManager {
    /** The most users {@link #counts} visits. */
    int MAX_USERS_COUNTED = 100_000;

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

    /**
     * How many live sessions {@code tenant} has: each user of the tenant's users registry whose visit-until time is
     * not past, at most {@code maxUsers} (1 to {@value #MAX_USERS_COUNTED}), has its index counted (one pipeline per
     * 500 users); past that bound the total is extrapolated and says so. Reads only; the sessions themselves are not
     * read.
     */
    SessionCounts counts(String tenant, int maxUsers);
}
