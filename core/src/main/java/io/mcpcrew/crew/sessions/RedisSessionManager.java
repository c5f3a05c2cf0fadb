package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.lock.DistributedLock;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.RedisDataException;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.resilience.WriteBack;
import io.mcpcrew.crew.tenancy.TenantRedis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
        this.local = new LocalSessionStore(settings, Clock.systemUTC(), redis.journal("sessions"));
        SessionScripts.registerAll(redis);
        redis.onRecovery(registry::forget);
        redis.addWriteBack(WriteBack.of("sessions", local::size, this::writeBack));
        redis.metrics().fallback("sessions", local::size, null);
        redis.metrics().addReader("sessions", new SessionGauges(redis, redis.metrics().registry()));
    }

    /**
     * Created when the application starts, not on first use: what a previous run left in the fallback journal is
     * loaded and written back even if nothing calls this component.
     */
    void onStart(@jakarta.enterprise.event.Observes @jakarta.enterprise.context.Initialized(
            jakarta.enterprise.context.ApplicationScoped.class) Object event) {
        // constructing the bean is the work
    }

    @Override
    public TenantSessions forTenant(String tenant) {
        return new FailoverSessions(redis, new RedisSessionStore(redis.forTenant(tenant), settings, registry), local);
    }

    public SessionSettings settings() {
        return settings;
    }

    @Override
    public Duration maxTtl() {
        return settings.maxTtl();
    }

    @Override
    public SessionCounts counts(String tenant, int maxUsers) {
        return new SessionCounter(redis).count(redis.forTenant(tenant), maxUsers);
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

    /** Writes the locally held sessions to Redis; returns how many were written. */
    int writeBack() {
        return local.drain(s -> {
            try {
                return new RedisSessionStore(redis.forTenant(s.tenant), settings, registry).restore(s.id, s.data,
                        s.dataBytes, s.ttlMs, Instant.ofEpochMilli(s.expiresAt), Instant.ofEpochMilli(s.createdAt),
                        Instant.ofEpochMilli(s.lastAccessedAt));
            } catch (RedisDataException e) {
                LOG.log(Level.SEVERE, "Redis rejected session " + s.id + " of tenant " + s.tenant + " held during the "
                        + "outage; it is dropped: " + e.getMessage(), e);
                return false;
            }
        });
    }
}
