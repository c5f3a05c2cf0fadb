package io.mcpcrew.crew.redis;

/** Redis cannot be reached (connection refused or lost, timeout, circuit breaker open). Retryable. */
public class RedisUnavailableException extends RedisCrewException {
    private static final long serialVersionUID = 1L;

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
