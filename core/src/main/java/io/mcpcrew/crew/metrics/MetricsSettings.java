package io.mcpcrew.crew.metrics;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.ConfigurationException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code redis.crew.metrics.*} settings and {@code redis.crew.memory.warn-share}, read and validated once (see
 * {@code docs/configuration.md#metrics}).
 *
 * @param enabled                 meters are recorded and {@code /api/v1/metrics} answers; off: every meter is a no-op
 * @param maxTenants              tenants with series of their own (the most active ones); the rest are {@code _other}
 * @param maxNamesPerTenant       queues, streams, models or resources of one tenant with series of their own (the
 *                                first seen); further ones are {@code _other}
 * @param tenantReselectInterval  how often the most active tenants are chosen again
 * @param redisReadInterval       the gauges read from Redis are read at most once per this interval (a scrape within
 *                                it is answered from the last read)
 * @param sessionsMaxUsers        the most users whose session indexes one read of the active-session gauges visits
 * @param memoryWarnShare         the share of {@code maxmemory} above which Redis memory is a warning (0: never)
 */
public record MetricsSettings(boolean enabled, int maxTenants, int maxNamesPerTenant, Duration tenantReselectInterval,
        Duration redisReadInterval, int sessionsMaxUsers, double memoryWarnShare) {
    static final String PREFIX = "redis.crew.metrics.";
    static final String WARN_SHARE = "redis.crew.memory.warn-share";

    /** The settings of {@code source}; a bad value throws {@link ConfigurationException}. */
    public static MetricsSettings load(ConfigSource c) {
        return new MetricsSettings(c.bool(PREFIX + "enabled", true),
                c.integer(PREFIX + "max-tenants", 50, 0, 10_000),
                c.integer(PREFIX + "max-names-per-tenant", 20, 0, 1_000),
                c.duration(PREFIX + "tenant-reselect-interval", Duration.ofMinutes(5), Duration.ofSeconds(1)),
                c.duration(PREFIX + "redis-read-interval", Duration.ofSeconds(10), Duration.ZERO),
                c.integer(PREFIX + "sessions.max-users", 50_000, 0, 10_000_000),
                share(c.raw(WARN_SHARE)));
    }

    /** Every default, metrics off: what a manager without settings of its own uses. */
    public static MetricsSettings disabled() {
        return new MetricsSettings(false, 50, 20, Duration.ofMinutes(5), Duration.ofSeconds(10), 50_000, 0.85);
    }

    private static double share(Optional<String> raw) {
        if (raw.isEmpty()) {
            return 0.85;
        }
        String v = raw.get().toLowerCase(Locale.ROOT);
        try {
            double d = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1).trim()) / 100
                    : Double.parseDouble(v);
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigurationException(WARN_SHARE, raw.get(), "must be a share of maxmemory from 0 to 1 (0.85) or a "
                + "percentage (85%); 0 turns the warning off");
    }
}
