package io.mcpcrew.crew.config;

import java.math.BigInteger;
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

    /**
     * {@code 30s}, or {@code 250ms} when the duration is not whole seconds; any duration, however long (counted
     * in {@link BigInteger}: {@code Duration.toMillis} overflows past about 292 million years).
     */
    public static String format(Duration d) {
        long millisOfSecond = d.getNano() / 1_000_000;
        if (millisOfSecond == 0) {
            return d.getSeconds() + "s";
        }
        return BigInteger.valueOf(d.getSeconds()).multiply(BigInteger.valueOf(1000))
                .add(BigInteger.valueOf(millisOfSecond)) + "ms";
    }
}
