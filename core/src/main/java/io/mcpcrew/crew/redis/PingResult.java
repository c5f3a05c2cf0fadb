package io.mcpcrew.crew.redis;

import java.time.Duration;
import java.util.Optional;

/** Outcome of a direct PING: reachable or not, the round-trip time, and the error if any. */
public final class PingResult {
    private final boolean reachable;
    private final Duration latency;
    private final String error;

    PingResult(boolean reachable, Duration latency, String error) {
        this.reachable = reachable;
        this.latency = latency;
        this.error = error;
    }

    /** A PING that got no answer after {@code waited}, for the reason given. */
    public static PingResult unanswered(Duration waited, String error) {
        return new PingResult(false, waited, error);
    }

    public boolean reachable() {
        return reachable;
    }

    public Duration latency() {
        return latency;
    }

    public Optional<String> error() {
        return Optional.ofNullable(error);
    }
}
