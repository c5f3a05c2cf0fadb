package io.mcpcrew.crew.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed, validated reads of configuration keys from any lookup: MicroProfile Config inside a server, a map in
 * tests. Every failure is a {@link ConfigurationException} naming key, environment variable, value and rule.
 */
public final class ConfigSource {
    private final Function<String, Optional<String>> lookup;

    public ConfigSource(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(k -> Optional.ofNullable(values.get(k)));
    }

    /** The environment variable MicroProfile Config maps to a key: non-alphanumerics to {@code _}, upper case. */
    public static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    public Optional<String> raw(String key) {
        return lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String string(String key, String def) {
        return raw(key).orElse(def);
    }

    public int integer(String key, int def, int min, int max) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        try {
            int i = Integer.parseInt(v.get());
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigurationException(key, v.get(), "must be an integer from " + min + " to " + max);
    }

    public boolean bool(String key, boolean def) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
            case "1":
                return true;
            case "false":
            case "no":
            case "off":
            case "0":
                return false;
            default:
                throw new ConfigurationException(key, v.get(), "must be true or false");
        }
    }

    /** A duration at least {@code min}; see {@link Durations#parse} for the accepted forms. */
    public Duration duration(String key, Duration def, Duration min) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        Duration d;
        try {
            d = Durations.parse(v.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, v.get(), "must be a duration: seconds (30), a number with a unit "
                    + "(250ms, 30s, 5m, 2h, 7d) or ISO-8601 (PT30S, P7D)");
        }
        if (d.compareTo(min) < 0) {
            throw new ConfigurationException(key, v.get(), "must be at least " + Durations.format(min));
        }
        return d;
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
        Optional<String> v = raw(key);
        if (v.isEmpty()) {
            return def;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.get().replace('-', '_'))) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : " | ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new ConfigurationException(key, v.get(), "must be one of " + allowed);
    }
}
