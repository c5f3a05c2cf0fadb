package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.redis.NotReplicatedException;
import io.mcpcrew.crew.redis.RedisDataException;
import io.mcpcrew.crew.redis.WriteKind;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * One tenant's sessions in Redis. A read without sliding expiry is one HGETALL; every write is one script over
 * the session hash and its user's index (one hash tag), which also prunes that index. See
 * {@code docs/wire-format/sessions.md} for the keys and the scripts' effects.
 */
final class RedisSessionStore implements TenantSessions {
    private static final int DELETE_BATCH = 500;
    /** Revocation stops after this many batches (5 million sessions) if new ones keep racing in. */
    private static final int REVOKE_ROUNDS = 10_000;

    private final TenantRedis redis;
    private final SessionSettings settings;
    private final SessionRegistry registry;

    RedisSessionStore(TenantRedis redis, SessionSettings settings, SessionRegistry registry) {
        this.redis = redis;
        this.settings = settings;
        this.registry = registry;
    }

    @Override
    public String tenant() {
        return redis.keys().tenant();
    }

    @Override
    public String createSession(String userId, Map<String, ?> data, SessionImportance importance) {
        return createSession(userId, data, settings.ttl(importance));
    }

    @Override
    public String createSession(String userId, Map<String, ?> data, Duration ttl) {
        SessionCodec.NewData d = SessionCodec.checkNew(settings, userId, data, ttl);
        for (int attempt = 0;; attempt++) {
            SessionId id = SessionId.newId(userId);
            if (create(id, d, ttl) || attempt > 2) {
                return id.value();
            }
        }
    }

    /**
     * Creates a session under a given id; false if Redis holds one with that id already. With
     * {@code redis.crew.durability.replicas} set, throws {@link NotReplicatedException} when the replicas did not
     * confirm it.
     */
    boolean create(SessionId id, SessionCodec.NewData d, Duration ttl) {
        try {
            return write(id, d.fields(), d.size(), ttl.toMillis(), null, null, null, WriteKind.NEW);
        } catch (NotReplicatedException e) {
            throw e.about("new session of user " + Names.quote(id.userId()) + " (tenant " + Names.quote(tenant()) + ")",
                    "create it again (a new session; if the unconfirmed one survived, it expires with its TTL unused)");
        }
    }

    SessionSettings settings() {
        return settings;
    }

    /**
     * Writes a session back from the local store, keeping its id, data, times, TTL and expiry; false if Redis has
     * a session with this id already, or the expiry has passed.
     */
    boolean restore(String id, Map<String, String> encoded, long size, long ttlMs, Instant expiresAt, Instant createdAt,
            Instant lastAccessedAt) {
        return write(SessionId.parse(id), encoded, size, ttlMs, expiresAt, createdAt, lastAccessedAt,
                WriteKind.MAYBE_DONE);
    }

    private boolean write(SessionId id, Map<String, String> encoded, long size, long ttlMs, Instant expiresAt,
            Instant createdAt, Instant lastAccessedAt, WriteKind kind) {
        List<String> args = new ArrayList<>(7 + encoded.size() * 2);
        args.add(id.value());
        args.add(id.userId());
        args.add(String.valueOf(ttlMs));
        args.add(String.valueOf(size));
        args.add(createdAt == null ? "" : String.valueOf(createdAt.toEpochMilli()));
        args.add(lastAccessedAt == null ? "" : String.valueOf(lastAccessedAt.toEpochMilli()));
        args.add(expiresAt == null ? "" : String.valueOf(expiresAt.toEpochMilli()));
        encoded.forEach((name, json) -> {
            args.add(SessionCodec.DATA_PREFIX + name);
            args.add(json);
        });
        long expires = number(redis.evalReplicated(SessionScripts.CREATE, keys(id), args, kind));
        if (expires < 0) {
            return false;
        }
        registry.record(redis, id.userId(), expires, ttlMs);
        return true;
    }

    @Override
    public Optional<Session> getSession(String sessionId) {
        SessionId id = SessionId.parse(sessionId);
        Session s;
        if (settings.slidingExpiry()) {
            Object hash = redis.evalCoalesced(SessionScripts.TOUCH, keys(id), List.of(id.value(), "", "1"));
            s = hash == null ? null : SessionCodec.decode(id.value(), SessionCodec.pairs((List<?>) hash));
            if (s != null) {
                registry.record(redis, id.userId(), s.expiresAt().toEpochMilli(), s.ttl().toMillis());
            }
        } else {
            String key = SessionKeys.session(redis.keys(), id);
            s = SessionCodec.decode(id.value(), redis.coalesce(p -> p.hgetAll(key), j -> j.hgetAll(key)));
        }
        return Optional.ofNullable(s);
    }

    @Override
    public boolean updateSession(String sessionId, Map<String, ?> changes) {
        SessionId id = SessionId.parse(sessionId);
        Map<String, String> encoded = SessionCodec.encode(changes);
        SessionCodec.checkedSize(encoded, settings.maxDataBytes()); // the sets alone already too large: fail early
        List<String> args = new ArrayList<>(4 + encoded.size() * 2);
        args.add(id.value());
        args.add(String.valueOf(settings.maxDataBytes()));
        args.add(settings.slidingExpiry() ? "1" : "0");
        args.add("0");
        int sets = 0;
        for (Map.Entry<String, String> e : encoded.entrySet()) {
            if (e.getValue() != null) {
                args.add(SessionCodec.DATA_PREFIX + e.getKey());
                args.add(e.getValue());
                sets++;
            }
        }
        args.set(3, String.valueOf(sets));
        encoded.forEach((name, json) -> {
            if (json == null) {
                args.add(SessionCodec.DATA_PREFIX + name);
            }
        });
        List<?> r = redis.evalItem(SessionScripts.UPDATE, keys(id), args);
        long status = number(r.get(0));
        if (status == -2) {
            throw SessionCodec.tooLarge(number(r.get(1)), settings.maxDataBytes());
        }
        return status == 0;
    }

    @Override
    public Optional<Instant> touch(String sessionId) {
        return touch(SessionId.parse(sessionId), "");
    }

    @Override
    public Optional<Instant> touch(String sessionId, Duration ttl) {
        SessionId id = SessionId.parse(sessionId);
        return touch(id, String.valueOf(settings.checkTtl(ttl).toMillis()));
    }

    private Optional<Instant> touch(SessionId id, String ttlMs) {
        long expires = number(redis.eval(SessionScripts.TOUCH, keys(id), List.of(id.value(), ttlMs, "0")));
        if (expires < 0) {
            return Optional.empty();
        }
        registry.record(redis, id.userId(), expires, ttlMs.isEmpty() ? settings.ttl(SessionImportance.STANDARD)
                .toMillis() : Long.parseLong(ttlMs));
        return Optional.of(Instant.ofEpochMilli(expires));
    }

    @Override
    public boolean deleteSession(String sessionId) {
        SessionId id = SessionId.parse(sessionId);
        return number(redis.eval(SessionScripts.DELETE, List.of(SessionKeys.index(redis.keys(), id.userId()),
                SessionKeys.session(redis.keys(), id)), List.of(id.value()))) > 0;
    }

    @Override
    public List<Session> listSessions(String userId) {
        List<String> ids = liveIds(Names.require("user id", userId));
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Map<String, String>> hashes = redis.execute(j -> {
            List<Response<Map<String, String>>> responses = new ArrayList<>(ids.size());
            try (AbstractPipeline p = j.pipelined()) {
                for (String id : ids) {
                    responses.add(p.hgetAll(SessionKeys.session(redis.keys(), SessionId.parse(id))));
                }
                p.sync();
            }
            List<Map<String, String>> out = new ArrayList<>(responses.size());
            responses.forEach(resp -> out.add(resp.get()));
            return out;
        });
        List<Session> sessions = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Session s = SessionCodec.decode(ids.get(i), hashes.get(i));
            if (s != null) {
                sessions.add(s);
            }
        }
        return sessions;
    }

    private List<String> liveIds(String userId) {
        List<?> r = (List<?>) redis.eval(SessionScripts.PRUNE, List.of(SessionKeys.index(redis.keys(), userId)),
                List.of("1"));
        List<String> ids = new ArrayList<>();
        for (Object o : (List<?>) r.get(1)) {
            ids.add(String.valueOf(o));
        }
        return ids;
    }

    @Override
    public int deleteAllSessions(String userId) {
        Names.require("user id", userId);
        String index = SessionKeys.index(redis.keys(), userId);
        int deleted = 0;
        for (int round = 0; round < REVOKE_ROUNDS; round++) {
            List<String> ids = redis.execute(j -> j.zrange(index, 0, DELETE_BATCH - 1));
            if (ids.isEmpty()) {
                return deleted;
            }
            List<String> keys = new ArrayList<>(ids.size() + 1);
            keys.add(index);
            for (String id : ids) {
                keys.add(SessionKeys.session(redis.keys(), SessionId.parse(id)));
            }
            deleted += (int) number(redis.eval(SessionScripts.DELETE, keys, ids));
        } // loops until the index is empty: sessions created while revoking are revoked too (within the rounds)
        return deleted;
    }

    @Override
    public int cleanupExpiredSessions() {
        int dropped = 0;
        for (String user : registry.users(redis)) {
            List<?> r = (List<?>) redis.eval(SessionScripts.PRUNE, List.of(SessionKeys.index(redis.keys(), user)),
                    List.of("0"));
            dropped += (int) number(r.get(0));
        }
        registry.dropPast(redis);
        return dropped;
    }

    private List<String> keys(SessionId id) {
        return List.of(SessionKeys.session(redis.keys(), id), SessionKeys.index(redis.keys(), id.userId()));
    }

    private static long number(Object o) {
        if (o instanceof Number) {
            return ((Number) o).longValue();
        }
        throw new RedisDataException("unexpected reply from a session script: " + o, null);
    }
}
