package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.config.Durations;
import io.mcpcrew.crew.redis.DataType;
import java.time.Duration;
import java.util.Optional;

/**
 * The rate limiter's configuration ({@code redis.crew.ratelimit.*}), read once; per-resource policies are read
 * on first use of a resource. Every bad value is a {@link ConfigurationException} naming the key and its
 * environment variable. Global keys never end in {@code .max-requests} or {@code .window}, so no resource name
 * can make a policy key collide with them (also not as environment variables).
 */
public final class RateLimitSettings {
    public static final String PREFIX = "redis.crew.ratelimit.";
    public static final String FALLBACK = PREFIX + "fallback";
    public static final String FALLBACK_NODES = PREFIX + "fallback.nodes";
    public static final String FALLBACK_MAX_KEYS = PREFIX + "fallback.max-keys";
    public static final String MAX_REQUESTS_CEILING = PREFIX + "max-requests-ceiling";
    public static final String WINDOW_CEILING = PREFIX + "window-ceiling";
    /** The policy used for a resource with neither configuration nor caller default. */
    public static final String DEFAULT_RESOURCE = "default";

    static final int DEFAULT_MAX_REQUESTS = 100;
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    static final int DEFAULT_MAX_REQUESTS_CEILING = 100_000;

    private final ConfigSource source;
    private final FallbackMode fallbackMode;
    private final int fallbackNodes;
    private final int fallbackMaxKeys;
    private final int maxRequestsCeiling;
    private final Duration windowCeiling;
    private final RateLimitPolicy defaultPolicy;

    public RateLimitSettings(ConfigSource source, Duration rateLimitTtl) {
        this.source = source;
        fallbackMode = source.enumValue(FALLBACK, FallbackMode.class, FallbackMode.LOCAL);
        fallbackNodes = source.integer(FALLBACK_NODES, 1, 1, 100_000);
        fallbackMaxKeys = source.integer(FALLBACK_MAX_KEYS, 10_000, 1, 10_000_000);
        maxRequestsCeiling = source.integer(MAX_REQUESTS_CEILING, DEFAULT_MAX_REQUESTS_CEILING, 1, 100_000_000);
        windowCeiling = source.duration(WINDOW_CEILING, rateLimitTtl, RateLimitPolicy.MIN_WINDOW);
        if (windowCeiling.compareTo(rateLimitTtl) > 0) {
            throw new ConfigurationException(WINDOW_CEILING, Durations.format(windowCeiling), "must not exceed "
                    + DataType.RATE_LIMIT.configKey() + " (" + Durations.format(rateLimitTtl)
                    + "): a limiter key lives as long as its window");
        }
        defaultPolicy = configured(DEFAULT_RESOURCE).orElse(new RateLimitPolicy(DEFAULT_MAX_REQUESTS, DEFAULT_WINDOW));
    }

    /** {@code redis.crew.ratelimit.<resource>.max-requests} and {@code .window}; either may be absent. */
    public Optional<RateLimitPolicy> configured(String resource) {
        String maxKey = PREFIX + resource + ".max-requests";
        String windowKey = PREFIX + resource + ".window";
        boolean hasMax = source.raw(maxKey).isPresent();
        boolean hasWindow = source.raw(windowKey).isPresent();
        if (!hasMax && !hasWindow) {
            return Optional.empty();
        }
        RateLimitPolicy base = DEFAULT_RESOURCE.equals(resource) || defaultPolicy == null
                ? new RateLimitPolicy(DEFAULT_MAX_REQUESTS, DEFAULT_WINDOW) : defaultPolicy;
        int max = source.integer(maxKey, base.maxRequests(), 1, maxRequestsCeiling);
        Duration window = source.duration(windowKey, base.window(), RateLimitPolicy.MIN_WINDOW);
        if (window.compareTo(windowCeiling) > 0) {
            throw new ConfigurationException(windowKey, Durations.format(window),
                    "must not exceed " + WINDOW_CEILING + " (" + Durations.format(windowCeiling) + ")");
        }
        return Optional.of(new RateLimitPolicy(max, window));
    }

    public FallbackMode fallbackMode() {
        return fallbackMode;
    }

    public int fallbackNodes() {
        return fallbackNodes;
    }

    public int fallbackMaxKeys() {
        return fallbackMaxKeys;
    }

    public int maxRequestsCeiling() {
        return maxRequestsCeiling;
    }

    public Duration windowCeiling() {
        return windowCeiling;
    }

    public RateLimitPolicy defaultPolicy() {
        return defaultPolicy;
    }
}
