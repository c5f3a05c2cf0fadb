package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.util.Locale;

/** How a {@link Limit} counts; see {@code docs/ratelimit.md} "Choosing an algorithm". */
public enum LimitAlgorithm {
    /**
     * The exact sliding log: one timestamp per admitted unit (memory and a check's cost grow with the limit). Exact
     * over every interval of one window. Only as the single limit of a policy (its own key, today's wire format).
     */
    EXACT_LOG,
    /**
     * GCRA, a token bucket: up to {@code burst} units at once, refilled at {@code max} per window. Constant state
     * (one number per limit); exact: in any interval of length d at most {@code burst + d * max / window} units.
     */
    TOKEN_BUCKET,
    /**
     * Two fixed windows, the previous one weighted by how much of it still overlaps the sliding window. Constant
     * state (two counts per limit); each aligned window admits at most {@code max}, any interval of one window
     * less than {@code 2 * max} (the worst case, when the previous window's units all came at its end).
     */
    SLIDING_COUNTER;

    /** {@code token-bucket} (as configuration and JSON write it; the enum name is accepted too). */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads {@code exact-log}, {@code token-bucket}, {@code sliding-counter} or the enum names, any case. */
    public static LimitAlgorithm parse(String text) {
        for (LimitAlgorithm a : values()) {
            if (text != null && a.name().equalsIgnoreCase(text.trim().replace('-', '_'))) {
                return a;
            }
        }
        throw new InvalidInputException("invalid algorithm " + io.mcpcrew.crew.validation.Names.quote(text)
                + ": must be exact-log, token-bucket or sliding-counter");
    }
}
