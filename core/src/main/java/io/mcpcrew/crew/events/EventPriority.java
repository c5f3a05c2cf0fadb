package io.mcpcrew.crew.events;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How urgent an event is: {@link #LOW}, {@link #NORMAL} (the default), {@link #HIGH}, {@link #CRITICAL}, or any
 * other name read from Redis (kept as it is, with {@link #rank()} 0 like NORMAL). Priority is information for
 * consumers; streams deliver in publication order whatever the priority.
 */
public final class EventPriority extends EventName {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");

    public static final EventPriority LOW = new EventPriority("low", -1);
    public static final EventPriority NORMAL = new EventPriority("normal", 0);
    public static final EventPriority HIGH = new EventPriority("high", 1);
    public static final EventPriority CRITICAL = new EventPriority("critical", 2);

    private final int rank;

    private EventPriority(String name, int rank) {
        super(name);
        this.rank = rank;
    }

    /** The priority named {@code name} (case-insensitive for the well-known ones). */
    public static EventPriority of(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("invalid event priority " + Names.quote(name)
                    + ": must be low, normal, high, critical or another name of 1 to 32 characters from A-Z, a-z, "
                    + "0-9, '_' and '-'");
        }
        return read(name);
    }

    /** A priority read from Redis: well-known names mapped, any other kept as written. */
    static EventPriority read(String name) {
        if (name == null || name.isEmpty()) {
            return NORMAL;
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "low":
                return LOW;
            case "normal":
                return NORMAL;
            case "high":
                return HIGH;
            case "critical":
                return CRITICAL;
            default:
                return new EventPriority(name, 0);
        }
    }

    /** LOW -1, NORMAL 0, HIGH 1, CRITICAL 2; unknown names 0. */
    public int rank() {
        return rank;
    }
}
