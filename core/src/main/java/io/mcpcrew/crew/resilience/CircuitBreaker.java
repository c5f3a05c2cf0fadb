package io.mcpcrew.crew.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Circuit breaker around Redis access. CLOSED → (N consecutive connection failures) → OPEN: calls fail fast for
 * the open duration → HALF_OPEN: trial calls go through; the first success closes it, a failure re-opens it.
 * A successful probe (the manager PINGs in the background while not CLOSED) closes it too, so recovery is
 * noticed without traffic. Listeners hear every state change; components flush their fallback buffers on CLOSED.
 */
public final class CircuitBreaker {
    private final int failureThreshold;
    private final Duration openDuration;
    private final Clock clock;
    private final List<Consumer<BreakerState>> listeners = new CopyOnWriteArrayList<>();

    // volatile: the hot path (every Redis call) reads them without taking the lock.
    private volatile BreakerState.State state = BreakerState.State.CLOSED;
    private volatile int failures;
    private Instant since;
    private String lastError;
    private Instant lastErrorAt;

    public CircuitBreaker(int failureThreshold, Duration openDuration, Clock clock) {
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
        this.clock = clock;
        this.since = clock.instant();
    }

    /** True if a call may go to Redis now (CLOSED or HALF_OPEN, or OPEN past its open duration). */
    public boolean allowsCall() {
        if (state == BreakerState.State.CLOSED) {
            return true;
        }
        BreakerState changed = null;
        synchronized (this) {
            if (state == BreakerState.State.OPEN) {
                if (clock.instant().isBefore(since.plus(openDuration))) {
                    return false;
                }
                changed = transition(BreakerState.State.HALF_OPEN);
            }
        }
        fire(changed);
        return true;
    }

    /** True unless OPEN: the switch components consult before choosing Redis or their local fallback. */
    public boolean isAvailable() {
        return state != BreakerState.State.OPEN;
    }

    /** True while CLOSED (Redis answered the last call): the state in which buffered writes are written back. */
    public boolean isClosed() {
        return state == BreakerState.State.CLOSED;
    }

    public void recordSuccess() {
        if (state == BreakerState.State.CLOSED && failures == 0) {
            return;
        }
        BreakerState changed = null;
        synchronized (this) {
            failures = 0;
            if (state != BreakerState.State.CLOSED) {
                changed = transition(BreakerState.State.CLOSED);
            }
        }
        fire(changed);
    }

    public void recordFailure(Throwable error) {
        BreakerState changed = null;
        synchronized (this) {
            failures++;
            lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
            lastErrorAt = clock.instant();
            if (state == BreakerState.State.HALF_OPEN
                    || (state == BreakerState.State.CLOSED && failures >= failureThreshold)) {
                changed = transition(BreakerState.State.OPEN);
            } else if (state == BreakerState.State.OPEN) {
                since = clock.instant(); // a failed probe restarts the open period
            }
        }
        fire(changed);
    }

    public synchronized BreakerState snapshot() {
        return new BreakerState(state, since, failures, lastError, lastErrorAt);
    }

    /** Listens to every state change (called outside the breaker's lock, on the thread that caused it). */
    public void addListener(Consumer<BreakerState> listener) {
        listeners.add(listener);
    }

    private BreakerState transition(BreakerState.State to) {
        state = to;
        since = clock.instant();
        return new BreakerState(state, since, failures, lastError, lastErrorAt);
    }

    private void fire(BreakerState changed) {
        if (changed == null) {
            return;
        }
        for (Consumer<BreakerState> l : listeners) {
            try {
                l.accept(changed);
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(CircuitBreaker.class.getName())
                        .log(java.util.logging.Level.WARNING, "breaker listener failed", e);
            }
        }
    }
}
