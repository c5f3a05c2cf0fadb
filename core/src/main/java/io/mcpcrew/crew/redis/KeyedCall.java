package io.mcpcrew.crew.redis;

/**
 * One command of a {@link RedisManager#pipelineByKey} batch: sent to the node that holds {@code key} (on Redis
 * Cluster; the one server otherwise). {@code script}, when not null, is the Lua script the command runs by EVALSHA:
 * loaded on that node and the node's batch sent again once if the node answers NOSCRIPT.
 */
public record KeyedCall(String key, PipelinedCall<?> call, LuaScript script) {
    /** A plain command addressed by {@code key}. */
    public static <T> KeyedCall of(String key, PipelinedCall<T> call) {
        return new KeyedCall(key, call, null);
    }

    /** An EVALSHA of {@code script} addressed by {@code key} (its first key). */
    public static <T> KeyedCall script(String key, PipelinedCall<T> call, LuaScript script) {
        return new KeyedCall(key, call, script);
    }
}
