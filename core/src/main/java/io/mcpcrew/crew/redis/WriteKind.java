package io.mcpcrew.crew.redis;

/**
 * What a write that must reach replicas ({@link RedisManager#evalReplicated}) does to the data set, which decides
 * what its {@code WAIT} covers. From Redis 7.2 {@code WAIT} waits for the replication offset of the connection's own
 * last write that was replicated: a command that changes nothing leaves that offset where an earlier write on the
 * same pooled connection put it. (Redis 7.0 sets it to the master's offset after every command.)
 */
public enum WriteKind {
    /**
     * Always changes the data set (a task or event with a fresh random id): the {@code WAIT} that follows covers it.
     */
    NEW,
    /**
     * May find its effect already in Redis and change nothing: a replay of a write whose outcome was unknown, an
     * idempotency key seen before. The effect then came from an earlier write, perhaps on another connection, so a
     * small write (a barrier key with a short TTL in the write's hash slot) goes first and the {@code WAIT} covers
     * everything the master held at that moment.
     */
    MAYBE_DONE
}
