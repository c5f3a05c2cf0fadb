package io.mcpcrew.crew.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration forms the configuration accepts: {@code 30} (seconds), {@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 2h}, {@code 7d}, or ISO-8601 ({@code PT30S}, {@code P7D}). Negative values are rejected. */
public final class Durations {
    private static final Pattern UNIT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = UNIT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            switch (unit) {
                case "ms":
                    return Duration.ofMillis(n);
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                case "d":
                    return Duration.ofDays(n);
                default:
                    return Duration.ofSeconds(n);
            }
        }
        if (t.startsWith("p")) {
            try {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            } catch (RuntimeException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException("not a duration: " + text);
    }

    public static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        return d.getSeconds() + "s";
    }
}
