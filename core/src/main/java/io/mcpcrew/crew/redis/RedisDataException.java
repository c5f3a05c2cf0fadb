package io.mcpcrew.crew.redis;

/** Redis answered with an error about the command or the data (WRONGTYPE, a script error, ...). Not retryable. */
public class RedisDataException extends RedisCrewException {
    private static final long serialVersionUID = 1L;

    public RedisDataException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
