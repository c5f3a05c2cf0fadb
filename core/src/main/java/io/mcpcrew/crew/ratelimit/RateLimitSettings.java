package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.config.Durations;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.Optional;

/**
 * The rate limiter's configuration ({@code redis.crew.ratelimit.*}), read once; per-resource policies are read
 * on first use of a resource. Every bad value is a {@link ConfigurationException} naming the key and its
 * environment variable. Global keys never end in {@code .max-requests}, {@code .window} or {@code .limits}, so no resource name
 * can make a policy key collide with them (also not as environment variables).
 */
public final class RateLimitSettings {
    public static final String PREFIX = "redis.crew.ratelimit.";
    public static final String FALLBACK = PREFIX + "fallback";
    public static final String FALLBACK_NODES = PREFIX + "fallback.nodes";
    public static final String FALLBACK_MAX_KEYS = PREFIX + "fallback.max-keys";
    public static final String MAX_REQUESTS_CEILING = PREFIX + "max-requests-ceiling";
    public static final String WINDOW_CEILING = PREFIX + "window-ceiling";
    public static final String UNITS_CEILING = PREFIX + "max-units-ceiling";
    public static final String QUOTA_WINDOW_CEILING = PREFIX + "quota-window-ceiling";
    public static final String POLICY_CACHE = PREFIX + "policy-cache";
    /** The policy used for a resource with neither configuration nor caller default. */
    public static final String DEFAULT_RESOURCE = "default";

    static final int DEFAULT_MAX_REQUESTS = 100;
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    static final int DEFAULT_MAX_REQUESTS_CEILING = 100_000;
    static final long DEFAULT_UNITS_CEILING = 1_000_000_000_000L;
    /** The largest {@value #UNITS_CEILING} a configuration may set, so the largest max, burst or cost of any limit. */
    public static final long MAX_UNITS = 1L << 50;
    static final Duration DEFAULT_QUOTA_WINDOW_CEILING = Duration.ofDays(1);
    static final Duration DEFAULT_POLICY_CACHE = Duration.ofSeconds(1);

    private final ConfigSource source;
    private final FallbackMode fallbackMode;
    private final int fallbackNodes;
    private final int fallbackMaxKeys;
    private final int maxRequestsCeiling;
    private final Duration windowCeiling;
    private final RateLimitPolicy defaultPolicy;
    private final long unitsCeiling;
    private final Duration quotaWindowCeiling;
    private final Duration policyCache;

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
        unitsCeiling = longValue(UNITS_CEILING, DEFAULT_UNITS_CEILING, MAX_UNITS);
        quotaWindowCeiling = source.duration(QUOTA_WINDOW_CEILING, DEFAULT_QUOTA_WINDOW_CEILING, RateLimitPolicy.MIN_WINDOW);
        if (quotaWindowCeiling.compareTo(Duration.ofDays(366)) > 0) {
            throw new ConfigurationException(QUOTA_WINDOW_CEILING, Durations.format(quotaWindowCeiling),
                    "must be at most 366d");
        }
        policyCache = source.duration(POLICY_CACHE, DEFAULT_POLICY_CACHE, Duration.ZERO);
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

    /**
     * {@code redis.crew.ratelimit.<resource>.limits} (see {@link LimitSpec}), else the exact log of
     * {@link #configured(String)}; empty when neither is set.
     */
    public Optional<Quota> configuredQuota(String resource) {
        String key = PREFIX + resource + ".limits";
        Optional<String> spec = source.raw(key);
        if (spec.isEmpty()) {
            return configured(resource).map(p -> Quota.of(resource, p));
        }
        try {
            Quota q = LimitSpec.parse(spec.get());
            check(q);
            return Optional.of(q);
        } catch (InvalidInputException e) {
            throw new ConfigurationException(key, spec.get(), e.getMessage());
        }
    }

    /** The ceilings of every limit of {@code quota}; throws {@link InvalidInputException} naming the limit. */
    void check(Quota quota) {
        for (Limit l : quota.limits()) {
            boolean log = l.algorithm() == LimitAlgorithm.EXACT_LOG;
            long maxCeiling = log ? maxRequestsCeiling : unitsCeiling;
            Duration windowMax = log ? windowCeiling : quotaWindowCeiling;
            if (l.max() > maxCeiling || l.burst() > maxCeiling) {
                throw new InvalidInputException("invalid max " + l.max() + (l.burst() != l.max() ? " or burst "
                        + l.burst() : "") + " of limit '" + l.name() + "': must be at most " + maxCeiling + " ("
                        + (log ? MAX_REQUESTS_CEILING : UNITS_CEILING) + ")");
            }
            if (l.window().compareTo(windowMax) > 0) {
                throw new InvalidInputException("invalid window " + Durations.format(l.window()) + " of limit '"
                        + l.name() + "': must be at most " + Durations.format(windowMax) + " ("
                        + (log ? WINDOW_CEILING : QUOTA_WINDOW_CEILING) + ")");
            }
        }
    }

    private long longValue(String key, long def, long max) {
        Optional<String> v = source.raw(key);
        if (v.isEmpty()) {
            return def;
        }
        try {
            long l = Long.parseLong(v.get().replace("_", ""));
            if (l >= 1 && l <= max) {
                return l;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigurationException(key, v.get(), "must be an integer from 1 to " + max);
    }

    /** Largest {@code max} or burst of a token-bucket or sliding-counter limit. */
    public long unitsCeiling() {
        return unitsCeiling;
    }

    /** Longest window of a token-bucket or sliding-counter limit. */
    public Duration quotaWindowCeiling() {
        return quotaWindowCeiling;
    }

    /** How long a node uses the stored policies it read before reading them again. */
    public Duration policyCache() {
        return policyCache;
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
