package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.validation.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One tenant's sessions: Redis while it is reachable, the node-local {@link LocalSessionStore} while the circuit
 * breaker is open (or a call fails with {@link RedisUnavailableException}) and {@code redis.crew.fallback.enabled}.
 * Sessions created during an outage stay on this node until they are written back; until then an id Redis does not
 * know is also looked up locally. While Redis is down this node answers only for the sessions it holds or held (ended
 * here); any other id may be a session only Redis holds, so reading, updating, touching or deleting it fails with
 * {@link RedisUnavailableException} (HTTP 503 with {@code Retry-After}) rather than answer "no such session", and
 * so does listing a user's sessions. Nothing that exists is ever reported missing, and no revocation is pretended.
 */
final class FailoverSessions implements TenantSessions {
    private final RedisManager manager;
    private final RedisSessionStore redis;
    private final TenantSessions local;
    private final LocalSessionStore localStore;
    private final SessionMetrics metrics;

    FailoverSessions(RedisManager manager, RedisSessionStore redis, LocalSessionStore localStore) {
        this.manager = manager;
        this.redis = redis;
        this.localStore = localStore;
        this.local = localStore.forTenant(redis.tenant());
        this.metrics = SessionMetrics.of(manager.metrics());
    }

    @Override
    public String tenant() {
        return redis.tenant();
    }

    private <T> T run(Supplier<T> onRedis, Supplier<T> onLocal) {
        return manager.withFallback(onRedis, maybeWritten -> onLocal.get());
    }

    /** Whether sessions created during an outage may still be held here (a cheap check on the hot path). */
    private boolean localPending() {
        return !localStore.isEmpty();
    }

    @Override
    public String createSession(String userId, Map<String, ?> data, SessionImportance importance) {
        return createSession(userId, data, redis.settings().ttl(importance));
    }

    /**
     * The id is chosen before Redis is tried and kept by the local store when the attempt fails: a create whose
     * outcome was unknown (a timeout Redis applied anyway) and its local copy are one session, written back once.
     */
    @Override
    public String createSession(String userId, Map<String, ?> data, Duration ttl) {
        SessionCodec.NewData d = SessionCodec.checkNew(redis.settings(), userId, data, ttl);
        for (int attempt = 0;; attempt++) {
            SessionId id = SessionId.newId(userId);
            boolean created = manager.withFallbackUnlessDurable(() -> redis.create(id, d, ttl), maybeWritten -> {
                localStore.create(tenant(), id, d, ttl);
                return true;
            });
            if (created || attempt > 2) {
                metrics.created(tenant());
                return id.value();
            }
        }
    }

    @Override
    public Optional<Session> getSession(String sessionId) {
        return run(() -> {
            Optional<Session> s = redis.getSession(sessionId);
            return s.isPresent() || !localPending() ? s : local.getSession(sessionId);
        }, () -> known(sessionId, local.getSession(sessionId), Optional::isPresent, "read"));
    }

    /**
     * A local answer while Redis is down: {@code answer} when it found the session or this node knows the session
     * ended here; otherwise the session may be in Redis, and saying it is missing would be wrong.
     */
    private <T> T known(String sessionId, T answer, Predicate<T> found, String what) {
        if (found.test(answer) || localStore.knows(tenant(), sessionId)) {
            return answer;
        }
        throw unavailable("session " + sessionId + " is not held on this node, so it could not be " + what
                + " (it may exist in Redis)");
    }

    @Override
    public boolean updateSession(String sessionId, Map<String, ?> changes) {
        // a session being written back can move from the local store to Redis between the first two calls
        return run(() -> redis.updateSession(sessionId, changes)
                || localPending() && (local.updateSession(sessionId, changes) || redis.updateSession(sessionId, changes)),
                () -> known(sessionId, local.updateSession(sessionId, changes), b -> b, "updated"));
    }

    @Override
    public Optional<Instant> touch(String sessionId) {
        return run(() -> orLocal(redis.touch(sessionId), () -> local.touch(sessionId), () -> redis.touch(sessionId)),
                () -> known(sessionId, local.touch(sessionId), Optional::isPresent, "touched"));
    }

    @Override
    public Optional<Instant> touch(String sessionId, Duration ttl) {
        return run(() -> orLocal(redis.touch(sessionId, ttl), () -> local.touch(sessionId, ttl),
                () -> redis.touch(sessionId, ttl)),
                () -> known(sessionId, local.touch(sessionId, ttl), Optional::isPresent, "touched"));
    }

    private Optional<Instant> orLocal(Optional<Instant> fromRedis, Supplier<Optional<Instant>> fromLocal,
            Supplier<Optional<Instant>> again) {
        if (fromRedis.isPresent() || !localPending()) {
            return fromRedis;
        }
        Optional<Instant> l = fromLocal.get();
        return l.isPresent() ? l : again.get();
    }

    @Override
    public boolean deleteSession(String sessionId) {
        boolean deleted = run(() -> redis.deleteSession(sessionId) | (localPending() && local.deleteSession(sessionId)),
                () -> known(sessionId, local.deleteSession(sessionId), b -> b, "deleted"));
        metrics.revoked(tenant(), deleted ? 1 : 0);
        return deleted;
    }

    @Override
    public List<Session> listSessions(String userId) {
        return run(() -> {
            List<Session> l = redis.listSessions(userId);
            if (!localPending()) {
                return l;
            }
            // a session being written back may be in both for a moment: Redis' copy wins
            Map<String, Session> byId = new java.util.LinkedHashMap<>();
            local.listSessions(userId).forEach(x -> byId.put(x.id(), x));
            l.forEach(x -> byId.put(x.id(), x));
            List<Session> all = new java.util.ArrayList<>(byId.values());
            all.sort(java.util.Comparator.comparing(Session::expiresAt));
            return all;
        }, () -> {
            Names.require("user id", userId);
            throw unavailable("the sessions of user " + userId + " could not be listed (those in Redis cannot be read)");
        });
    }

    @Override
    public int deleteAllSessions(String userId) {
        int deleted = run(() -> redis.deleteAllSessions(userId) + (localPending() ? local.deleteAllSessions(userId) : 0),
                () -> {
                    int n = local.deleteAllSessions(userId);
                    throw unavailable(n + " session(s) of user " + userId + " held on this node were deleted, but "
                            + "those in Redis were not");
                });
        metrics.revoked(tenant(), deleted);
        return deleted;
    }

    @Override
    public int cleanupExpiredSessions() {
        int n = run(() -> redis.cleanupExpiredSessions() + local.cleanupExpiredSessions(),
                local::cleanupExpiredSessions);
        metrics.expired(tenant(), n);
        return n;
    }

    private RedisUnavailableException unavailable(String what) {
        return new RedisUnavailableException("Redis is unavailable: " + what + "; retry when it is back", null);
    }
}
