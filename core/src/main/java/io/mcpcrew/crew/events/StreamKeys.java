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

    /**
     * {@code <prefix>:<tenant>:events:_streams}: the tenant's stream names (a sorted set, all scores 0), written on a
     * stream's first write per process. No stream key has it: stream keys are hash tags {@code {<tenant>.<stream>}}.
     */
    static String registry(TenantRedis t) {
        return t.keys().key(COMPONENT, "_streams");
    }

    static String dead(TenantRedis t, String stream) {
        return t.keys().tagged(COMPONENT, stream, "dead");
    }
}
