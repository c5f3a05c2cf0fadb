package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.util.Locale;

/**
 * Task priorities, highest first: a worker always takes a CRITICAL task before any HIGH one, and so on; tasks of
 * one priority run in the order they were enqueued (FIFO). The {@link #rank()} is part of the wire format.
 */
public enum TaskPriority {
    CRITICAL, HIGH, NORMAL, LOW;

    /** 0 for CRITICAL to 3 for LOW: which pending list the task waits in (claims drain rank 0 first). */
    public int rank() {
        return ordinal();
    }

    /** Parses a priority name, case-insensitively; {@code null} or blank is NORMAL. */
    public static TaskPriority parse(String value) {
        if (value == null || value.isBlank()) {
            return NORMAL;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("unknown priority " + Names.quote(value)
                    + ": must be one of CRITICAL, HIGH, NORMAL, LOW");
        }
    }

    static TaskPriority ofRank(int rank) {
        return values()[rank];
    }
}
