package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.journal.Journal;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.validation.Names;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-memory store that serves sessions while Redis is down: node-local, bounded by
 * {@code redis.crew.sessions.fallback.max-sessions} over all tenants (a create beyond it, once expired sessions
 * are purged, fails with {@link RedisUnavailableException}: HTTP 503). Same semantics as Redis (ids, TTLs, merge
 * updates, size limit); its sessions are written back to Redis when Redis returns ({@link #drain}).
 *
 * <p>With a {@link Journal}, every change (create, update, touch, a sliding-expiry read, delete) is journaled
 * ({@link SessionJournal}) before the call returns, and the store starts with the live sessions the journal holds, so
 * sessions created during an outage survive a node crash.
 */
final class LocalSessionStore {
    private static final Logger LOG = Logger.getLogger(LocalSessionStore.class.getName());

    private final SessionSettings settings;
    private final Clock clock;
    private final Map<String, LocalSession> sessions = new ConcurrentHashMap<>();
    /**
     * The keys of sessions this store held that ended here (expired or deleted) since the last write-back, at most
     * {@code fallback.max-sessions} of them: while Redis is down such an id is known to be gone, any other id not
     * held here is unknown ({@link #knows}).
     */
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final SessionJournal journal;

    LocalSessionStore(SessionSettings settings, Clock clock) {
        this(settings, clock, Journal.NONE);
    }

    LocalSessionStore(SessionSettings settings, Clock clock, Journal journal) {
        this.settings = settings;
        this.clock = clock;
        this.journal = new SessionJournal(journal);
        long now = now();
        this.journal.load().forEach((k, v) -> {
            if (v.isLive(now)) {
                sessions.put(k, v);
            }
        });
        if (!sessions.isEmpty()) {
            LOG.log(Level.WARNING, "{0} session(s) created while Redis was down were left by a previous run; they are "
                    + "written back when Redis is available", sessions.size());
        }
    }


    /** Appends a record made under a session's monitor, after releasing it; compacts when the journal has grown. */
    private void log(byte[] record) {
        if (record != null && journal.append(record, sessions.size())) {
            journal.compact(sessions.values());
        }
    }

    TenantSessions forTenant(String tenant) {
        return new Tenant(Names.tenant(tenant));
    }

    /** Creates a session of {@code tenant} under an id chosen by the caller (the one a Redis attempt used). */
    String create(String tenant, SessionId id, SessionCodec.NewData data, Duration ttl) {
        return new Tenant(Names.tenant(tenant)).create(id, data, ttl);
    }

    int size() {
        return sessions.size();
    }

    boolean isEmpty() {
        return sessions.isEmpty();
    }

    /**
     * Whether this store can answer for {@code sessionId} of {@code tenant}: it holds the session, or held it until
     * it expired or was deleted here. An id it cannot answer for may be a session only Redis holds.
     */
    boolean knows(String tenant, String sessionId) {
        String key = mapKey(tenant, sessionId);
        return sessions.containsKey(key) || ended.contains(key);
    }

    /** Remembers that the session under {@code key} ended here (bounded: past the cap it stays unknown). */
    private void ended(String key) {
        if (ended.size() < settings.fallbackMaxSessions()) {
            ended.add(key);
        }
    }

    /**
     * Hands each live session to {@code writer} (which writes it to Redis) and forgets it when the writer returns
     * (true: written, or false: Redis has one with that id already, which wins). A session Redis cannot take now (its
     * Cluster master is down: {@link RedisUnavailableException}) stays held and the others are still written; the
     * first such exception is thrown at the end. Expired sessions are dropped. The sessions remembered as ended here
     * are forgotten once every one was written. Returns how many were written.
     */
    int drain(Predicate<LocalSession> writer) {
        int written = 0;
        RedisUnavailableException kept = null;
        try {
            for (Map.Entry<String, LocalSession> e : sessions.entrySet()) {
                LocalSession s = e.getValue();
                synchronized (s) {
                    if (s.isLive(now())) {
                        try {
                            if (writer.test(s)) {
                                written++;
                            }
                        } catch (RedisUnavailableException unavailable) {
                            kept = kept == null ? unavailable : kept;
                            continue;
                        }
                    }
                    sessions.remove(e.getKey(), s);
                }
            }
            if (kept != null) {
                throw kept;
            }
            ended.clear();
        } finally {
            journal.compact(sessions.values());
        }
        return written;
    }

    private long now() {
        return clock.millis();
    }

    static String mapKey(String tenant, String sessionId) {
        return tenant + " " + sessionId;
    }

    /** Removes expired sessions of {@code tenant} (null: of every tenant); returns how many. */
    private int purgeExpired(String tenant) {
        long now = now();
        int n = 0;
        for (Map.Entry<String, LocalSession> e : sessions.entrySet()) {
            LocalSession s = e.getValue();
            if ((tenant == null || s.tenant.equals(tenant)) && !s.isLive(now) && sessions.remove(e.getKey(), s)) {
                ended(e.getKey());
                n++;
            }
        }
        return n;
    }

    /** One session held locally. Mutations synchronize on it. */
    static final class LocalSession {
        final String tenant;
        final String id;
        final String userId;
        final Map<String, String> data = new LinkedHashMap<>();
        final long createdAt;
        long lastAccessedAt;
        long expiresAt;
        long ttlMs;
        long dataBytes;
        long version;

        LocalSession(String tenant, String id, String userId, long now, long ttlMs) {
            this.tenant = tenant;
            this.id = id;
            this.userId = userId;
            this.createdAt = now;
            this.lastAccessedAt = now;
            this.ttlMs = ttlMs;
            this.expiresAt = now + ttlMs;
        }

        /** Redis expires a key when now > its expiry; so does this store. */
        boolean isLive(long now) {
            return now <= expiresAt;
        }

        long renew(long now, long ttl) {
            ttlMs = ttl;
            lastAccessedAt = now;
            expiresAt = now + ttl;
            return expiresAt;
        }

        Session snapshot() {
            LinkedHashMap<String, Object> d = new LinkedHashMap<>();
            data.forEach((k, v) -> d.put(k, SessionCodec.parse(v)));
            return Session.owning(id, userId, d, Instant.ofEpochMilli(createdAt), Instant.ofEpochMilli(lastAccessedAt),
                    Instant.ofEpochMilli(expiresAt), Duration.ofMillis(ttlMs));
        }
    }

    /** The tenant-bound view. */
    private final class Tenant implements TenantSessions {
        private final String tenant;

        Tenant(String tenant) {
            this.tenant = tenant;
        }

        @Override
        public String tenant() {
            return tenant;
        }

        @Override
        public String createSession(String userId, Map<String, ?> data, SessionImportance importance) {
            return createSession(userId, data, settings.ttl(importance));
        }

        @Override
        public String createSession(String userId, Map<String, ?> data, Duration ttl) {
            return create(SessionId.newId(userId), SessionCodec.checkNew(settings, userId, data, ttl), ttl);
        }

        /** Creates the session under an id chosen by the caller (the one a Redis attempt used). */
        String create(SessionId id, SessionCodec.NewData d, Duration ttl) {
            if (sessions.size() >= settings.fallbackMaxSessions() && purgeExpired(null) == 0
                    && sessions.size() >= settings.fallbackMaxSessions()) {
                throw new RedisUnavailableException("Redis is unavailable and the local session store is full ("
                        + settings.fallbackMaxSessions() + " sessions, redis.crew.sessions.fallback.max-sessions); "
                        + "the session was not created — retry later", null);
            }
            LocalSession s = new LocalSession(tenant, id.value(), id.userId(), now(), ttl.toMillis());
            s.data.putAll(d.fields());
            s.dataBytes = d.size();
            byte[] record;
            synchronized (s) {
                record = SessionJournal.putRecord(s);
            }
            log(record);
            sessions.put(mapKey(tenant, id.value()), s);
            return id.value();
        }

        /** The live session with this id, or null (an expired one is removed). */
        private LocalSession live(String sessionId) {
            SessionId.parse(sessionId);
            String key = mapKey(tenant, sessionId);
            LocalSession s = sessions.get(key);
            if (s != null && !s.isLive(now())) {
                if (sessions.remove(key, s)) {
                    ended(key);
                }
                return null;
            }
            return s;
        }

        @Override
        public Optional<Session> getSession(String sessionId) {
            LocalSession s = live(sessionId);
            if (s == null) {
                return Optional.empty();
            }
            Session snapshot;
            byte[] record = null;
            synchronized (s) {
                if (settings.slidingExpiry()) {
                    s.renew(now(), s.ttlMs);
                    record = SessionJournal.putRecord(s);
                }
                snapshot = s.snapshot();
            }
            log(record);
            return Optional.of(snapshot);
        }

        @Override
        public boolean updateSession(String sessionId, Map<String, ?> changes) {
            Map<String, String> encoded = SessionCodec.encode(changes);
            SessionCodec.checkedSize(encoded, settings.maxDataBytes());
            LocalSession s = live(sessionId);
            if (s == null) {
                return false;
            }
            byte[] record;
            synchronized (s) {
                long size = s.dataBytes;
                for (Map.Entry<String, String> e : encoded.entrySet()) {
                    String old = s.data.get(e.getKey());
                    if (old != null) {
                        size -= SessionCodec.entryBytes(e.getKey(), old);
                    }
                    if (e.getValue() != null) {
                        size += SessionCodec.entryBytes(e.getKey(), e.getValue());
                    }
                }
                if (size > settings.maxDataBytes()) {
                    throw SessionCodec.tooLarge(size, settings.maxDataBytes());
                }
                encoded.forEach((k, v) -> {
                    if (v == null) {
                        s.data.remove(k);
                    } else {
                        s.data.put(k, v);
                    }
                });
                s.dataBytes = size;
                s.lastAccessedAt = now();
                if (settings.slidingExpiry()) {
                    s.renew(now(), s.ttlMs);
                }
                record = SessionJournal.putRecord(s);
            }
            log(record);
            return true;
        }

        @Override
        public Optional<Instant> touch(String sessionId) {
            return renew(sessionId, null);
        }

        @Override
        public Optional<Instant> touch(String sessionId, Duration ttl) {
            return renew(sessionId, settings.checkTtl(ttl));
        }

        private Optional<Instant> renew(String sessionId, Duration ttl) {
            LocalSession s = live(sessionId);
            if (s == null) {
                return Optional.empty();
            }
            long expires;
            byte[] record;
            synchronized (s) {
                expires = s.renew(now(), ttl == null ? s.ttlMs : ttl.toMillis());
                record = SessionJournal.putRecord(s);
            }
            log(record);
            return Optional.of(Instant.ofEpochMilli(expires));
        }

        @Override
        public boolean deleteSession(String sessionId) {
            LocalSession s = live(sessionId);
            if (s == null || !sessions.remove(mapKey(tenant, sessionId), s)) {
                return false;
            }
            ended(mapKey(tenant, sessionId));
            byte[] record;
            synchronized (s) {
                record = SessionJournal.removeRecord(s);
            }
            log(record);
            return true;
        }

        @Override
        public List<Session> listSessions(String userId) {
            Names.require("user id", userId);
            long now = now();
            List<LocalSession> mine = new ArrayList<>();
            for (LocalSession s : sessions.values()) {
                if (s.tenant.equals(tenant) && s.userId.equals(userId) && s.isLive(now)) {
                    mine.add(s);
                }
            }
            mine.sort(Comparator.comparingLong(s -> s.expiresAt));
            List<Session> out = new ArrayList<>(mine.size());
            for (LocalSession s : mine) {
                synchronized (s) {
                    out.add(s.snapshot());
                }
            }
            return out;
        }

        @Override
        public int deleteAllSessions(String userId) {
            Names.require("user id", userId);
            int n = 0;
            for (Map.Entry<String, LocalSession> e : sessions.entrySet()) {
                LocalSession s = e.getValue();
                if (s.tenant.equals(tenant) && s.userId.equals(userId) && sessions.remove(e.getKey(), s)) {
                    ended(e.getKey());
                    n += s.isLive(now()) ? 1 : 0;
                    byte[] record;
                    synchronized (s) {
                        record = SessionJournal.removeRecord(s);
                    }
                    log(record);
                }
            }
            return n;
        }

        @Override
        public int cleanupExpiredSessions() {
            return purgeExpired(tenant);
        }
    }
}
