package io.mcpcrew.crew.events;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.util.regex.Pattern;

/**
 * The kind of an event: a name such as {@code agent} or {@code task.completed}. Well-known types are constants;
 * any other valid name is accepted with {@link #of(String)}, so a type written by another service (or a newer
 * version) and read back from Redis is kept as it is, never dropped or mapped to a default.
 *
 * <p>Rule: 1 to 64 characters from {@code A-Z a-z 0-9 _ - . :}, starting with a letter or digit.
 */
public final class EventType extends EventName {
    public static final String RULE = "must be 1 to 64 characters from A-Z, a-z, 0-9, '_', '-', '.' and ':', "
            + "starting with a letter or digit";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

    public static final EventType SYSTEM = new EventType("system");
    public static final EventType AGENT = new EventType("agent");
    public static final EventType TASK = new EventType("task");
    public static final EventType SESSION = new EventType("session");
    public static final EventType USER = new EventType("user");
    public static final EventType MESSAGE = new EventType("message");
    public static final EventType CUSTOM = new EventType("custom");

    private EventType(String name) {
        super(name);
    }

    /** The type named {@code name}; throws {@link InvalidInputException} naming the value and {@link #RULE}. */
    public static EventType of(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("invalid event type " + Names.quote(name) + ": " + RULE);
        }
        return new EventType(name);
    }

    /** A type read from Redis: kept as written (another service may use names outside {@link #RULE}). */
    static EventType read(String name) {
        return name == null || name.isEmpty() ? CUSTOM : new EventType(name);
    }
}
