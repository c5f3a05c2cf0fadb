package io.mcpcrew.crew.redis;

import java.time.Duration;
import java.util.Locale;

/**
 * Every kind of data Crew Redis writes, with its default time to live. Each TTL is overridable by
 * {@code redis.crew.ttl.<name>} (env {@code REDIS_CREW_TTL_<NAME>}), e.g. {@code redis.crew.ttl.task-result=2d}.
 *
 * <p>Every TTL is positive: no key of these types is written without one. Event streams and task queues (with the
 * records of unfinished tasks) are not data types here: they never expire. Streams are trimmed by retention
 * ({@code redis.crew.events.max-len} / {@code max-age}); a task's record gets its TTL when the task finishes
 * ({@link #TASK_RESULT}, {@link #DEAD_LETTER}). An expiry on a queue could drop work silently, so
 * {@code redis.crew.ttl.event} and {@code redis.crew.ttl.task} are refused at start-up
 * ({@link io.mcpcrew.crew.config.RedisCrewConfig}).
 */
public enum DataType {
    /** A user session hash and its per-user index. */
    SESSION(Duration.ofMinutes(30)),
    /** A cached embedding vector. */
    EMBEDDING(Duration.ofDays(7)),
    /** The record (state, result, error) of a finished task. */
    TASK_RESULT(Duration.ofDays(1)),
    /** Dead letters (tasks or events that exhausted their attempts), kept for inspection and retry. */
    DEAD_LETTER(Duration.ofDays(7)),
    /** Idempotency keys (e.g. of enqueued tasks). */
    IDEMPOTENCY(Duration.ofDays(1)),
    /** Rate-limit windows: the upper bound; a limiter key also expires when its window has passed. */
    RATE_LIMIT(Duration.ofHours(1)),
    /** Short-lived locks (single-flight computations, timers that run on one node). */
    LOCK(Duration.ofSeconds(30)),
    /** General-purpose cached values. */
    CACHE(Duration.ofHours(1));

    private final Duration defaultTtl;

    DataType(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    public Duration defaultTtl() {
        return defaultTtl;
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
