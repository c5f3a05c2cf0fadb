package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.config.Durations;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text form of a {@link Quota}, as configuration writes it ({@code redis.crew.ratelimit.<resource>.limits}):
 * limits separated by commas, each {@code <name>=<max>/<window> [unit] [algorithm] [burst=<n>]}, e.g.
 * {@code rpm=60/1m requests sliding-counter, tpm=150000/1m tokens token-bucket burst=300000}. The unit is
 * {@code tokens} (a check consumes its cost) unless {@code requests} is given; the algorithm {@code exact-log}
 * unless one is given; the window takes the configuration's duration forms ({@code 30s}, {@code 1m}, {@code 1d}).
 */
public final class LimitSpec {
    private LimitSpec() {
    }

    /** Parses a quota; throws {@link InvalidInputException} naming the part and the rule. */
    public static Quota parse(String text) {
        List<Limit> limits = new ArrayList<>();
        for (String part : text.split(",")) {
            limits.add(limit(part.trim()));
        }
        return new Quota(limits);
    }

    private static Limit limit(String part) {
        String[] words = part.split("\\s+");
        int eq = words[0].indexOf('=');
        int slash = words[0].indexOf('/');
        if (eq < 1 || slash < eq + 2 || slash == words[0].length() - 1) {
            throw bad(part, "must start with <name>=<max>/<window>, e.g. tpm=150000/1m");
        }
        String name = words[0].substring(0, eq);
        long max = number(part, words[0].substring(eq + 1, slash));
        Duration window;
        try {
            window = Durations.parse(words[0].substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw bad(part, "the window must be a duration (30s, 1m, 1h, 1d)");
        }
        LimitUnit unit = LimitUnit.TOKENS;
        LimitAlgorithm algorithm = LimitAlgorithm.EXACT_LOG;
        long burst = max;
        for (int i = 1; i < words.length; i++) {
            String w = words[i].toLowerCase(Locale.ROOT);
            if (w.startsWith("burst=")) {
                burst = number(part, w.substring(6));
            } else if (w.equals("requests") || w.equals("tokens")) {
                unit = LimitUnit.parse(w);
            } else {
                try {
                    algorithm = LimitAlgorithm.parse(w);
                } catch (InvalidInputException e) {
                    throw bad(part, "unknown word '" + words[i] + "': expected requests | tokens, exact-log | "
                            + "token-bucket | sliding-counter, or burst=<n>");
                }
            }
        }
        if (burst != max && algorithm != LimitAlgorithm.TOKEN_BUCKET) {
            throw bad(part, "burst is for token-bucket limits only");
        }
        return new Limit(name, unit, algorithm, max, window, burst);
    }

    private static long number(String part, String text) {
        try {
            return Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw bad(part, "'" + text + "' is not a whole number");
        }
    }

    private static InvalidInputException bad(String part, String rule) {
        return new InvalidInputException("invalid limit '" + part + "': " + rule);
    }

    /** The text form of {@code quota} (what {@link #parse} reads back to the same quota, windows in whole ms). */
    public static String format(Quota quota) {
        StringBuilder sb = new StringBuilder();
        for (Limit l : quota.limits()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(l.name()).append('=').append(l.max()).append('/')
                    .append(Durations.format(l.window())).append(' ').append(l.unit().text()).append(' ')
                    .append(l.algorithm().text());
            if (l.burst() != l.max()) {
                sb.append(" burst=").append(l.burst());
            }
        }
        return sb.toString();
    }
}
