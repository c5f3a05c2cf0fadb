package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Options of one enqueued task; unset values take the queue's configured defaults
 * ({@code redis.crew.tasks.*}). Immutable: each {@code with...} method returns a copy.
 *
 * <pre>{@code TaskOptions.defaults().withDelay(Duration.ofMinutes(5)).withMaxAttempts(5).withIdempotencyKey("order-42")}</pre>
 */
public final class TaskOptions {
    private static final TaskOptions DEFAULTS = new TaskOptions(null, null, null, null, null, null, null);

    private final Duration delay;
    private final Instant runAt;
    private final Integer maxAttempts;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final Duration timeout;
    private final String idempotencyKey;

    private TaskOptions(Duration delay, Instant runAt, Integer maxAttempts, Duration backoffBase, Duration backoffCap,
            Duration timeout, String idempotencyKey) {
        this.delay = delay;
        this.runAt = runAt;
        this.maxAttempts = maxAttempts;
        this.backoffBase = backoffBase;
        this.backoffCap = backoffCap;
        this.timeout = timeout;
        this.idempotencyKey = idempotencyKey;
    }

    public static TaskOptions defaults() {
        return DEFAULTS;
    }

    /** Run no earlier than {@code delay} from now (zero: now). Replaces a run-at time. */
    public TaskOptions withDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new InvalidInputException("invalid delay " + delay + ": must be zero or positive");
        }
        return new TaskOptions(delay, null, maxAttempts, backoffBase, backoffCap, timeout, idempotencyKey);
    }

    /** Run no earlier than {@code runAt} (a time in the past: now). Replaces a delay. */
    public TaskOptions withRunAt(Instant runAt) {
        if (runAt == null) {
            throw new InvalidInputException("invalid run-at time null: must be an instant");
        }
        return new TaskOptions(null, runAt, maxAttempts, backoffBase, backoffCap, timeout, idempotencyKey);
    }

    /** How many times the task may run before it becomes a dead letter (1 = no retry). */
    public TaskOptions withMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1 || maxAttempts > 1000) {
            throw new InvalidInputException("invalid maxAttempts " + maxAttempts + ": must be from 1 to 1000");
        }
        return new TaskOptions(delay, runAt, maxAttempts, backoffBase, backoffCap, timeout, idempotencyKey);
    }

    /** Retry delay after attempt n: {@code min(cap, base * 2^(n-1))}, half of it random (jitter). */
    public TaskOptions withBackoff(Duration base, Duration cap) {
        if (base == null || cap == null || base.isNegative() || cap.compareTo(base) < 0) {
            throw new InvalidInputException("invalid backoff base " + base + " and cap " + cap
                    + ": the base must be zero or positive and the cap at least the base");
        }
        return new TaskOptions(delay, runAt, maxAttempts, base, cap, timeout, idempotencyKey);
    }

    /** A handler running longer than this fails the attempt (its thread is interrupted). Zero: no limit. */
    public TaskOptions withTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new InvalidInputException("invalid timeout " + timeout + ": must be zero (none) or positive");
        }
        return new TaskOptions(delay, runAt, maxAttempts, backoffBase, backoffCap, timeout, idempotencyKey);
    }

    /**
     * A second enqueue with the same key (same tenant and queue) within the idempotency TTL returns the first
     * task's id and enqueues nothing. The key follows the name rule: {@value Names#RULE}.
     */
    public TaskOptions withIdempotencyKey(String key) {
        Names.require("idempotency key", key);
        return new TaskOptions(delay, runAt, maxAttempts, backoffBase, backoffCap, timeout, key);
    }

    public Optional<Duration> delay() {
        return Optional.ofNullable(delay);
    }

    public Optional<Instant> runAt() {
        return Optional.ofNullable(runAt);
    }

    public Optional<Integer> maxAttempts() {
        return Optional.ofNullable(maxAttempts);
    }

    public Optional<Duration> backoffBase() {
        return Optional.ofNullable(backoffBase);
    }

    public Optional<Duration> backoffCap() {
        return Optional.ofNullable(backoffCap);
    }

    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    /** The epoch millisecond the task may run at, or 0 for now. */
    long runAtMillis(long now) {
        if (runAt != null) {
            return runAt.toEpochMilli() > now ? runAt.toEpochMilli() : 0;
        }
        if (delay != null && !delay.isZero()) {
            return now + delay.toMillis();
        }
        return 0;
    }
}
