package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.config.Durations;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;

/**
 * A limit: at most {@code maxRequests} units (requests, or their cost) in any interval of length {@code window}.
 * Construction checks only the intrinsic rules (both positive, window at least 1 ms); the configured ceilings
 * ({@code redis.crew.ratelimit.max-requests-ceiling}, {@code .window-ceiling}) are checked by the limiter.
 */
public record RateLimitPolicy(int maxRequests, Duration window) {
    public static final Duration MIN_WINDOW = Duration.ofMillis(1);

    public RateLimitPolicy {
        if (maxRequests <= 0) {
            throw new InvalidInputException("invalid maxRequests " + maxRequests + ": must be a positive integer");
        }
        if (window == null || window.compareTo(MIN_WINDOW) < 0) {
            throw new InvalidInputException("invalid window " + (window == null ? "null" : Durations.format(window))
                    + ": must be at least 1ms");
        }
    }

    public static RateLimitPolicy of(int maxRequests, Duration window) {
        return new RateLimitPolicy(maxRequests, window);
    }

    /** The window in whole seconds, rounded up (as the {@code w} parameter of the RateLimit-Policy header). */
    public long windowSecondsCeil() {
        return (window.toMillis() + 999) / 1000;
    }
}
