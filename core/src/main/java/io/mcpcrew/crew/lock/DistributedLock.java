package io.mcpcrew.crew.lock;

import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.params.SetParams;

/**
 * A short Redis lock (SET NX PX with a random token; released by a compare-and-delete script), for work that
 * must run on one node at a time: a cleanup timer, a computation several nodes would otherwise repeat.
 * Keys: {@code <prefix>:<tenant>:lock:<name>}, TTL from the caller (bounded by {@link io.mcpcrew.crew.redis.DataType#LOCK}'s TTL by
 * convention). Not a fencing lock: the holder must finish within the TTL.
 */
public final class DistributedLock {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final LuaScript RELEASE = LuaScript.fromResource(DistributedLock.class, "compare_and_delete.lua");

    private final TenantRedis redis;

    public DistributedLock(TenantRedis redis) {
        this.redis = redis;
    }

    /** Tries once to take lock {@code name} for {@code ttl}; the returned handle releases it. */
    public Optional<Handle> tryAcquire(String name, Duration ttl) {
        String key = redis.keys().key("lock", name);
        byte[] raw = new byte[16];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String ok = redis.execute(j -> j.set(key, token, SetParams.setParams().nx().px(Math.max(1, ttl.toMillis()))));
        return "OK".equals(ok) ? Optional.of(new Handle(key, token)) : Optional.empty();
    }

    /** A held lock. {@link #close()} releases it if this holder still owns it. */
    public final class Handle implements AutoCloseable {
        private final String key;
        private final String token;

        private Handle(String key, String token) {
            this.key = key;
            this.token = token;
        }

        @Override
        public void close() {
            redis.eval(RELEASE, List.of(key), List.of(token));
        }
    }
}
