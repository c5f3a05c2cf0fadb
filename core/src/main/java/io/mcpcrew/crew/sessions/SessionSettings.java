package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.config.Durations;
import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The sessions' configuration ({@code redis.crew.sessions.*}, env {@code REDIS_CREW_SESSIONS_*}), read once and
 * validated: a bad value throws {@link ConfigurationException} naming key and environment variable.
 */
public final class SessionSettings {
    public static final String PREFIX = RedisCrewConfig.PREFIX + "sessions.";
    static final Duration MIN_TTL = Duration.ofMillis(1);

    private final Map<SessionImportance, Duration> ttls = new EnumMap<>(SessionImportance.class);
    private final Duration maxTtl;
    private final int maxDataBytes;
    private final boolean slidingExpiry;
    private final int fallbackMaxSessions;
    private final boolean cleanupEnabled;
    private final Duration cleanupInterval;

    private SessionSettings(RedisCrewConfig config) {
        ConfigSource c = config.source();
        maxTtl = c.duration(PREFIX + "max-ttl", Duration.ofDays(30), Duration.ofSeconds(1));
        ttls.put(SessionImportance.EPHEMERAL, ttl(c, SessionImportance.EPHEMERAL, Duration.ofMinutes(5)));
        ttls.put(SessionImportance.STANDARD, ttl(c, SessionImportance.STANDARD, config.ttl(DataType.SESSION)));
        ttls.put(SessionImportance.LONG_LIVED, ttl(c, SessionImportance.LONG_LIVED, Duration.ofDays(7)));
        maxDataBytes = c.integer(PREFIX + "max-data-bytes", 65_536, 1, 512 * 1024 * 1024);
        slidingExpiry = c.bool(PREFIX + "sliding-expiry", false);
        fallbackMaxSessions = c.integer(PREFIX + "fallback.max-sessions", 10_000, 1, 10_000_000);
        cleanupEnabled = c.bool(PREFIX + "cleanup.enabled", true);
        cleanupInterval = c.duration(PREFIX + "cleanup.interval", Duration.ofMinutes(5), Duration.ofSeconds(1));
    }

    public static SessionSettings from(RedisCrewConfig config) {
        return new SessionSettings(config);
    }

    private Duration ttl(ConfigSource c, SessionImportance importance, Duration def) {
        String key = PREFIX + "ttl." + importance.configName();
        Duration d = c.duration(key, def, MIN_TTL);
        if (d.compareTo(maxTtl) > 0) {
            throw new ConfigurationException(key, Durations.format(d), "must not exceed " + PREFIX + "max-ttl ("
                    + Durations.format(maxTtl) + ")");
        }
        return d;
    }

    /** The TTL of sessions of this importance. */
    public Duration ttl(SessionImportance importance) {
        return ttls.get(importance);
    }

    /** Checks an explicit TTL: positive and at most {@link #maxTtl()}; else {@link InvalidInputException}. */
    public Duration checkTtl(Duration ttl) {
        if (ttl == null || ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(maxTtl) > 0) {
            throw new InvalidInputException("invalid session TTL " + (ttl == null ? "null" : Durations.format(ttl))
                    + ": must be positive and at most " + Durations.format(maxTtl) + " (" + PREFIX + "max-ttl)");
        }
        return ttl;
    }

    public Duration maxTtl() {
        return maxTtl;
    }

    /** The most bytes a session's data may take: the sum over fields of name length + JSON value length (UTF-8). */
    public int maxDataBytes() {
        return maxDataBytes;
    }

    /** True: every read (and update) renews the session's expiry by its TTL, as {@code touch} does. */
    public boolean slidingExpiry() {
        return slidingExpiry;
    }

    /** How many sessions (all tenants) the in-memory store holds while Redis is down. */
    public int fallbackMaxSessions() {
        return fallbackMaxSessions;
    }

    public boolean cleanupEnabled() {
        return cleanupEnabled;
    }

    /** How often the cleanup timer runs. */
    public Duration cleanupInterval() {
        return cleanupInterval;
    }
}
