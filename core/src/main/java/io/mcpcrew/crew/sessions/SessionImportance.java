package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How long a session lives when the caller gives no explicit TTL. Each maps to a configured TTL:
 * {@code redis.crew.sessions.ttl.<config-name>} ({@code ephemeral}, {@code standard}, {@code long-lived}).
 */
public enum SessionImportance {
    /** Short-lived (default 5 minutes): a one-off flow, a guest. */
    EPHEMERAL,
    /** The default (default: {@code redis.crew.ttl.session}, 30 minutes). */
    STANDARD,
    /** "Remember me" sessions (default 7 days). */
    LONG_LIVED;

    /** {@code LONG_LIVED} → {@code long-lived}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code ephemeral}, {@code STANDARD}, {@code long-lived} or {@code long_lived} (case-insensitive). */
    public static SessionImportance parse(String value) {
        if (value != null) {
            String v = value.trim().replace('-', '_');
            for (SessionImportance i : values()) {
                if (i.name().equalsIgnoreCase(v)) {
                    return i;
                }
            }
        }
        throw new InvalidInputException("invalid session importance " + Names.quote(value) + ": must be one of "
                + Arrays.stream(values()).map(SessionImportance::configName).collect(Collectors.joining(", ")));
    }
}
