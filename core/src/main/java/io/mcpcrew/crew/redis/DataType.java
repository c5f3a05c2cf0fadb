package io.mcpcrew.crew.redis;

import java.time.Duration;
import java.util.Locale;

/**
 * Every kind of data Crew Redis writes, with its default time to live. Each TTL is overridable by
 * {@code redis.crew.ttl.<name>} (env {@code REDIS_CREW_TTL_<NAME>}), e.g. {@code redis.crew.ttl.task-result=2d}.
 *
 * <p>No key is written without a TTL unless its type is {@linkplain #persistent() persistent}: queues and
 * streams, which have explicit trimming or retention instead. A persistent type's TTL is {@link Duration#ZERO}
 * (none) unless configured.
 */
public enum DataType {
    /** A user session hash and its per-user index. */
    SESSION(Duration.ofMinutes(30), false),
    /** A cached embedding vector. */
    EMBEDDING(Duration.ofDays(7), false),
    /** Event streams: trimmed by retention (MAXLEN / MINID), not expired. */
    EVENT(Duration.ZERO, true),
    /** Task queues and the records of tasks not yet finished: removed when done, not expired. */
    TASK(Duration.ZERO, true),
    /** The record (state, result, error) of a finished task. */
    TASK_RESULT(Duration.ofDays(1), false),
    /** Dead letters (tasks or events that exhausted their attempts), kept for inspection and retry. */
    DEAD_LETTER(Duration.ofDays(7), false),
    /** Idempotency keys (e.g. of enqueued tasks). */
    IDEMPOTENCY(Duration.ofDays(1), false),
    /** Rate-limit windows: the upper bound; a limiter key also expires when its window has passed. */
    RATE_LIMIT(Duration.ofHours(1), false),
    /** Short-lived locks (single-flight computations, timers that run on one node). */
    LOCK(Duration.ofSeconds(30), false),
    /** General-purpose cached values. */
    CACHE(Duration.ofHours(1), false);

    private final Duration defaultTtl;
    private final boolean persistent;

    DataType(Duration defaultTtl, boolean persistent) {
        this.defaultTtl = defaultTtl;
        this.persistent = persistent;
    }

    public Duration defaultTtl() {
        return defaultTtl;
    }

    /** True for types that live until removed or trimmed (streams, queues) rather than by TTL. */
    public boolean persistent() {
        return persistent;
    }

    /** The name used in configuration keys: {@code TASK_RESULT} → {@code task-result}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code redis.crew.ttl.<config-name>}. */
    public String configKey() {
        return "redis.crew.ttl." + configName();
    }
}
