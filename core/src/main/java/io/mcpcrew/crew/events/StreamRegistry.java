package io.mcpcrew.crew.events;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.tenancy.TenantKeys;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The registry of streams: {@code <prefix>:_sys:events:streams}, a SET of {@code "<tenant>/<stream>"} members naming
 * every stream that was published to or given a consumer group, read by the stream gauges (and by anything that
 * lists streams). A node adds a stream once per process (again after Redis recovered, which may have lost it); a
 * failed add never fails the publish, it is tried again on the next one. Built here and nowhere else.
 */
final class StreamRegistry {
    private static final Logger LOG = Logger.getLogger(StreamRegistry.class.getName());

    private final RedisManager redis;
    private final String key;
    private final Map<String, Set<String>> known = new ConcurrentHashMap<>();

    StreamRegistry(RedisManager redis) {
        this.redis = redis;
        this.key = key(redis.config().keyPrefix());
        redis.onRecovery(known::clear);
    }

    /** {@code <keyPrefix>:_sys:events:streams}. */
    static String key(String keyPrefix) {
        return TenantKeys.systemKey(keyPrefix, StreamKeys.COMPONENT, "streams");
    }

    /** Adds the stream to the registry unless this node did already. */
    void register(TenantRedis t, String stream) {
        Set<String> streams = known.get(t.tenant());
        if (streams != null && streams.contains(stream)) {
            return;
        }
        try {
            redis.execute(j -> j.sadd(key, t.tenant() + "/" + stream));
            known.computeIfAbsent(t.tenant(), k -> ConcurrentHashMap.newKeySet()).add(stream);
        } catch (RedisCrewException e) {
            LOG.log(Level.FINE, "stream registry not updated (tried again on the next publish)", e);
        }
    }
}
