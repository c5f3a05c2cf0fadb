package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Instant;

/**
 * How far a running task got, as its handler last reported it ({@link Task#progress}, {@link TaskLeases#progress}).
 *
 * @param percent 0 to 100
 * @param message a short text for people (at most {@value #MAX_MESSAGE_LENGTH} characters), or null
 * @param at      when the handler reported it
 */
public record TaskProgress(int percent, String message, Instant at) {
    /** The longest progress message, in characters. */
    public static final int MAX_MESSAGE_LENGTH = 1000;

    /** @throws InvalidInputException a percent outside 0..100 or a message over {@value #MAX_MESSAGE_LENGTH} characters */
    public TaskProgress {
        if (percent < 0 || percent > 100) {
            throw new InvalidInputException("invalid progress " + percent + ": must be a percent from 0 to 100");
        }
        if (message != null && message.length() > MAX_MESSAGE_LENGTH) {
            throw new InvalidInputException("progress message of " + message.length() + " characters is too long: "
                    + "must be at most " + MAX_MESSAGE_LENGTH);
        }
        if (at == null) {
            throw new InvalidInputException("progress time null: must be an instant");
        }
    }

    /** Progress reported now. */
    public static TaskProgress of(int percent, String message) {
        return new TaskProgress(percent, message, Instant.now());
    }
}
