package io.mcpcrew.crew.web.json;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Numbers and times from query parameters and headers, read as text and checked here rather than by the JAX-RS
 * runtime (which answers a bad {@code int} parameter with a bare 404): a value that is not an integer in range is a
 * 400 naming the parameter, the rule and the value.
 */
public final class Params {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,30}");

    private Params() {
    }

    /** The integer parameter {@code name} from {@code min} to {@code max}; {@code fallback} when absent or empty. */
    public static int integer(String name, String raw, int min, int max, int fallback) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        String rule = "must be an integer from " + min + " to " + max;
        String t = raw.trim();
        if (!INTEGER.matcher(t).matches()) {
            throw new InvalidInputException("invalid " + name + " " + Names.quote(JsonFields.abbreviate(raw)) + ": " + rule);
        }
        java.math.BigInteger v = new java.math.BigInteger(t.startsWith("+") ? t.substring(1) : t);
        if (v.compareTo(java.math.BigInteger.valueOf(min)) < 0 || v.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw new InvalidInputException("invalid " + name + " " + JsonFields.abbreviate(t) + ": " + rule);
        }
        return v.intValue();
    }

    /** An ISO-8601 instant ({@code 2026-01-02T03:04:05Z}); anything else is a 400 naming the parameter. */
    public static Instant instant(String name, String raw) {
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("invalid " + name + " " + Names.quote(JsonFields.abbreviate(raw))
                    + ": must be an ISO-8601 instant such as 2026-01-02T03:04:05Z");
        }
    }

    /** The boolean parameter {@code name}: {@code true} or {@code false}; {@code fallback} when absent or empty. */
    public static boolean bool(String name, String raw, boolean fallback) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.parseBoolean(raw);
        }
        throw new InvalidInputException("invalid " + name + " " + Names.quote(JsonFields.abbreviate(raw))
                + ": must be true or false");
    }

    /** A page cursor as given ({@code null} or empty: the first page); the list it belongs to checks it. */
    public static String cursor(String raw) {
        return raw == null || raw.isEmpty() ? null : raw;
    }
}
