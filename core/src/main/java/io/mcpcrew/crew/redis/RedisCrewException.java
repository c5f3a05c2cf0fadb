package io.mcpcrew.crew.redis;

/**
 * Base of the errors Crew Redis raises about Redis itself. {@link #isRetryable()} splits them as Jedis does:
 * {@link RedisUnavailableException} (connection, timeout, circuit open: try again later or use the fallback)
 * and {@link RedisDataException} (Redis rejected the command or the data: retrying will not help).
 */
public abstract class RedisCrewException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected RedisCrewException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract boolean isRetryable();
}
