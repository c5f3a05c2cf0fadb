package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.DistributedLock;
import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.TenantRedis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link SessionManager} on Redis, with a node-local in-memory fallback while Redis is down. A CDI bean
 * ({@code @Inject SessionManager}); outside a container, {@code new RedisSessionManager(redisManager)}.
 *
 * <p>When Redis comes back ({@link RedisManager#onRecovery}), the sessions created during the outage are written
 * back to Redis with their ids, data, creation time and remaining TTL, so users keep them; a session whose id Redis
 * already knows is dropped locally (Redis wins).
 */
@ApplicationScoped
public class RedisSessionManager implements SessionManager {
    private static final Logger LOG = Logger.getLogger(RedisSessionManager.class.getName());
    /** The lock each tenant's cleanup runs under: {@code <prefix>:<tenant>:lock:sessions-cleanup}. */
    static final String CLEANUP_LOCK = "sessions-cleanup";

    private RedisManager redis;
    private SessionSettings settings;
    private SessionRegistry registry;
    private LocalSessionStore local;

    /** For the CDI proxy only. */
    protected RedisSessionManager() {
    }

    @Inject
    public RedisSessionManager(RedisManager redis) {
        this.redis = redis;
        this.settings = SessionSettings.from(redis.config());
        this.registry = new SessionRegistry(redis);
        this.local = new LocalSessionStore(settings, Clock.systemUTC());
        SessionScripts.registerAll(redis);
        redis.onRecovery(this::onRecovery);
    }

    @Override
    public TenantSessions forTenant(String tenantId) {
        TenantRedis tenant = redis.forTenant(tenantId);
        return new FailoverSessions(redis, new RedisSessionStore(tenant, settings, registry), local);
    }

    public SessionSettings settings() {
        return settings;
    }

    @Override
    public Duration maxTtl() {
        return settings.maxTtl();
    }

    @Override
    public List<String> tenantsWithSessions() {
        return registry.tenants();
    }

    @Override
    public int cleanupAllTenants() {
        int removed = 0;
        for (String tenant : registry.tenants()) {
            TenantRedis t = redis.forTenant(tenant);
            Optional<DistributedLock.Handle> lock = new DistributedLock(t).tryAcquire(CLEANUP_LOCK,
                    redis.ttl(DataType.LOCK));
            if (lock.isEmpty()) {
                continue; // another node is cleaning this tenant
            }
            try (DistributedLock.Handle h = lock.get()) {
                removed += forTenant(tenant).cleanupExpiredSessions();
            }
        }
        registry.dropPast(null);
        return removed;
    }

    /** How many sessions the local fallback store holds (written back when Redis returns). */
    public int locallyHeldSessions() {
        return local.size();
    }

    private void onRecovery() {
        registry.forget();
        if (local.isEmpty()) {
            return;
        }
        try {
            int n = writeBack();
            LOG.info(() -> "Redis is back: " + n + " session(s) created during the outage were written back");
        } catch (RedisCrewException e) {
            LOG.log(Level.WARNING, "writing back sessions created during the outage failed; " + local.size()
                    + " remain on this node and are retried at the next recovery: " + e.getMessage());
        }
    }

    /** Writes the locally held sessions to Redis; returns how many were written. */
    int writeBack() {
        return local.drain(s -> new RedisSessionStore(redis.forTenant(s.tenant), settings, registry).restore(s.id,
                s.data, s.dataBytes, s.ttlMs, Instant.ofEpochMilli(s.expiresAt), Instant.ofEpochMilli(s.createdAt),
                Instant.ofEpochMilli(s.lastAccessedAt)));
    }
}
