package io.mcpcrew.crew.resilience;

import io.mcpcrew.crew.redis.RedisUnavailableException;

/** Redis is down and the local buffer that keeps writes meanwhile is full: the write was not accepted. Retryable. */
public class FallbackBufferFullException extends RedisUnavailableException {
    private static final long serialVersionUID = 1L;

    public FallbackBufferFullException(String message) {
        super(message, null, false);
    }
}
