package io.mcpcrew.crew.redis;

/**
 * Redis cannot be reached (connection refused or lost, timeout, circuit breaker open). Retryable.
 * {@link #outcomeUnknown()} tells a write whether Redis may have applied it anyway: true when the command may have
 * been sent (a read timeout, a connection lost while waiting for the reply), false when it certainly was not (the
 * breaker was open, the connection could not be made, no pooled connection was free).
 */
public class RedisUnavailableException extends RedisCrewException {
    private static final long serialVersionUID = 1L;
    private final boolean outcomeUnknown;

    /** An error whose command may have reached Redis (the safe assumption). */
    public RedisUnavailableException(String message, Throwable cause) {
        this(message, cause, true);
    }

    public RedisUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** True if the command may have been applied by Redis although no reply came (a replay must check first). */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
