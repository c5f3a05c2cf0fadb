package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.tenancy.NameRegistry;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where cleanup looks: which tenants, and which users of a tenant, have (or recently had) sessions. Two sorted sets
 * ({@link SessionKeys#tenantsRegistry}, {@link SessionKeys#usersRegistry}) map each member to a "visit until" time:
 * the latest expiry seen plus one TTL of headroom, so that most renewals need no registry write. A small
 * per-node cache skips writes that would not raise the score; it is cleared when Redis recovers (the registry may
 * have been lost). The registry is a hint: losing an entry only delays cleanup of that user's index, which still
 * never outlives its longest session (the index has that TTL) and is pruned on every write.
 */
final class SessionRegistry {
    private static final Logger LOG = Logger.getLogger(SessionRegistry.class.getName());
    private static final int CACHE_LIMIT = 100_000;
    /** Entries older than this past their visit-until time are dropped from a registry. */
    private static final long GRACE_MS = 60_000;

    private final RedisManager redis;
    private final String tenantsKey;
    private final Map<String, Long> registeredUntil = new ConcurrentHashMap<>();
    private final NameRegistry catalog;

    SessionRegistry(RedisManager redis) {
        this.redis = redis;
        this.catalog = new NameRegistry(redis);
        this.tenantsKey = SessionKeys.tenantsRegistry(redis.config().keyPrefix());
    }

    /**
     * Records that {@code userId} in {@code tenant} has a session until {@code expiresAtMs}. Never fails the caller:
     * the session is written already, and a missed registry entry only delays a cleanup (logged).
     */
    void record(TenantRedis tenant, String userId, long expiresAtMs, long ttlMs) {
        try {
            register(tenant, userId, expiresAtMs, ttlMs);
        } catch (RedisCrewException e) {
            LOG.log(Level.FINE, "session registry not updated for a user of tenant {0}: {1}",
                    new Object[] {tenant.keys().tenant(), e.getMessage()});
        }
    }

    private void register(TenantRedis tenant, String userId, long expiresAtMs, long ttlMs) {
        String name = tenant.keys().tenant();
        String cacheKey = name + "\u0000" + userId;
        Long known = registeredUntil.get(cacheKey);
        if (known != null && known >= expiresAtMs) {
            return;
        }
        long until = expiresAtMs + ttlMs;
        String u = String.valueOf(until);
        tenant.eval(SessionScripts.REGISTER, List.of(SessionKeys.usersRegistry(tenant.keys())), List.of(userId, u));
        Long tenantKnown = registeredUntil.get(name);
        if (tenantKnown == null || tenantKnown < expiresAtMs) {
            redis.eval(SessionScripts.REGISTER, List.of(tenantsKey), List.of(name, u));
            catalog.registerTenant(name); // the tenants the listing shows (once per process)
            remember(name, until);
        }
        remember(cacheKey, until);
    }

    private void remember(String key, long until) {
        if (registeredUntil.size() >= CACHE_LIMIT) {
            registeredUntil.clear();
        }
        registeredUntil.merge(key, until, Math::max);
    }

    void forget() {
        registeredUntil.clear();
    }

    List<String> tenants() {
        return members(tenantsKey);
    }

    List<String> users(TenantRedis tenant) {
        return members(SessionKeys.usersRegistry(tenant.keys()));
    }

    /** Drops entries whose visit-until time has passed (by more than a minute of clock skew). */
    void dropPast(TenantRedis tenant) {
        String key = tenant == null ? tenantsKey : SessionKeys.usersRegistry(tenant.keys());
        long before = System.currentTimeMillis() - GRACE_MS;
        redis.execute(j -> j.zremrangeByScore(key, Double.NEGATIVE_INFINITY, before));
    }

    private List<String> members(String key) {
        List<String> out = new ArrayList<>();
        int page = 1000;
        for (long start = 0;; start += page) {
            long from = start;
            List<String> batch = redis.execute(j -> j.zrange(key, from, from + page - 1));
            out.addAll(batch);
            if (batch.size() < page) {
                return out;
            }
        }
    }
}
