package io.mcpcrew.crew.resilience;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of the circuit breaker around Redis: its state, since when, the consecutive failures counted and
 * the last connection error seen (kept after recovery, for diagnosis).
 */
public final class BreakerState {
    /** CLOSED: calls go to Redis. OPEN: calls fail fast, components use their fallback. HALF_OPEN: one trial. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final State state;
    private final Instant since;
    private final int consecutiveFailures;
    private final String lastError;
    private final Instant lastErrorAt;

    BreakerState(State state, Instant since, int consecutiveFailures, String lastError, Instant lastErrorAt) {
        this.state = state;
        this.since = since;
        this.consecutiveFailures = consecutiveFailures;
        this.lastError = lastError;
        this.lastErrorAt = lastErrorAt;
    }

    public State state() {
        return state;
    }

    public Instant since() {
        return since;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public Optional<Instant> lastErrorAt() {
        return Optional.ofNullable(lastErrorAt);
    }

    @Override
    public String toString() {
        return state + " since " + since + (lastError == null ? "" : " (last error at " + lastErrorAt + ": " + lastError + ")");
    }
}
