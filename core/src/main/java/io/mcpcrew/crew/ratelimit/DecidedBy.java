package io.mcpcrew.crew.ratelimit;

/** Which path produced a {@link RateLimitDecision}. */
public enum DecidedBy {
    /** The shared sliding window in Redis: exact across all nodes. */
    REDIS,
    /** Redis was unreachable; this node's in-memory window, with the limit scaled to this node's share. */
    LOCAL_FALLBACK,
    /** Redis was unreachable and {@code redis.crew.ratelimit.fallback=fail-open}: admitted without counting. */
    FAIL_OPEN,
    /** Redis was unreachable and {@code redis.crew.ratelimit.fallback=fail-closed}: refused. */
    FAIL_CLOSED
}
