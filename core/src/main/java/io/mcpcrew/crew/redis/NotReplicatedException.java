package io.mcpcrew.crew.redis;

import java.time.Duration;

/**
 * A write the master applied but fewer replicas than {@code redis.crew.durability.replicas} acknowledged within
 * {@code redis.crew.durability.timeout}: it may be lost if the master fails over now, and it may also survive.
 * Retryable (HTTP 503 with Retry-After); never taken by the local fallback (the write is in Redis, so the node
 * must not accept it a second time). A retry with the same idempotency key is safe: if the first write survived it
 * answers the first task's id, else it writes it again. Without one, a retry may store the write twice.
 */
public class NotReplicatedException extends RedisUnavailableException {
    private static final long serialVersionUID = 1L;
    private final long acknowledged;
    private final int required;
    /** The write's own reply (what the master answered), or null. */
    private final transient Object reply;

    public NotReplicatedException(String message, long acknowledged, int required, Object reply) {
        this(message, null, acknowledged, required, reply);
    }

    private NotReplicatedException(String message, Throwable cause, long acknowledged, int required, Object reply) {
        super(message, cause, true);
        this.acknowledged = acknowledged;
        this.required = required;
        this.reply = reply;
    }

    /** The message of a write confirmed by {@code acknowledged} of {@code required} replicas within {@code timeout}. */
    static String describe(String target, long acknowledged, int required, Duration timeout) {
        return "written to the Redis master (" + target + ") but acknowledged by " + acknowledged + " of " + required
                + " replica(s) within " + io.mcpcrew.crew.config.Durations.format(timeout)
                + " (redis.crew.durability.replicas / .timeout): it may be lost if the master fails over now";
    }

    /** This outcome for a named write: {@code what} (e.g. "task 3f2a…") goes in front of the message. */
    public NotReplicatedException about(String what, String retryAdvice) {
        return new NotReplicatedException(what + " " + getMessage() + "; " + retryAdvice, this, acknowledged,
                required, reply);
    }

    /**
     * What the master answered to the write (e.g. the ids an enqueue script returned: with an idempotency key seen
     * before, the first task's), or null when not known.
     */
    public Object reply() {
        return reply;
    }

    /** Replicas that acknowledged the write in time. */
    public long acknowledged() {
        return acknowledged;
    }

    /** Replicas required ({@code redis.crew.durability.replicas}). */
    public int required() {
        return required;
    }
}
