package io.mcpcrew.crew.ratelimit;

/** What a rate limiter does while Redis is unreachable ({@code redis.crew.ratelimit.fallback}). */
public enum FallbackMode {
    /** Count on this node, in memory, against the limit divided by {@code redis.crew.ratelimit.fallback.nodes}. */
    LOCAL,
    /** Admit every request (availability over protection). */
    FAIL_OPEN,
    /** Refuse every request (protection over availability). */
    FAIL_CLOSED
}
