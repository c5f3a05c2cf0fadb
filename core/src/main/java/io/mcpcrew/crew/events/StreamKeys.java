package io.mcpcrew.crew.events;

import io.mcpcrew.crew.tenancy.TenantRedis;

/**
 * The Redis keys of a tenant's stream: {@code <prefix>:<tenant>:events:{<tenant>.<stream>}} and its dead letters,
 * the same key + {@code :dead} (one hash slot, so {@code dead_letter.lua} runs on Redis Cluster).
 */
final class StreamKeys {
    static final String COMPONENT = "events";

    private StreamKeys() {
    }

    static String stream(TenantRedis t, String stream) {
        return t.keys().tagged(COMPONENT, stream);
    }

    static String dead(TenantRedis t, String stream) {
        return t.keys().tagged(COMPONENT, stream, "dead");
    }
}
