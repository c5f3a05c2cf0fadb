package io.mcpcrew.crew.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.RedisCrewConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code config/crew-redis.env.example} complete: it must list (commented out or not) the environment
 * variable of every key core reads — the keys {@link RedisCrewConfig} asks for and every key with a default in
 * core's {@code META-INF/microprofile-config.properties} — with that default, and nothing else (in particular
 * not the keys it refuses, {@link RedisCrewConfig#REFUSED_KEYS}).
 */
class EnvExampleTest {
    private static final Pattern LINE = Pattern.compile("^#?\\s*(REDIS_CREW_[A-Z0-9_]+)=(.*)$");

    @Test
    void listsEveryVariableWithItsDefault() throws IOException {
        Map<String, String> example = example();
        Map<String, String> defaults = ShippedDefaults.shippedDefaults();
        TreeSet<String> expected = new TreeSet<>();
        defaults.keySet().forEach(k -> expected.add(ConfigSource.envName(k)));
        keysReadByTheConfiguration().forEach(k -> expected.add(ConfigSource.envName(k)));
        RedisCrewConfig.REFUSED_KEYS.keySet().forEach(k -> expected.remove(ConfigSource.envName(k)));

        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(example.keySet());
        assertTrue(missing.isEmpty(), "config/crew-redis.env.example lacks " + missing
                + ": add each with its default and a comment");
        TreeSet<String> unknown = new TreeSet<>(example.keySet());
        unknown.removeAll(expected);
        assertTrue(unknown.isEmpty(), "config/crew-redis.env.example lists variables core does not read: " + unknown);
        defaults.forEach((key, value) -> assertEquals(value, example.get(ConfigSource.envName(key)),
                ConfigSource.envName(key) + " in config/crew-redis.env.example differs from " + key
                        + " in core's microprofile-config.properties"));
    }

    /** Every key RedisCrewConfig reads, found by loading it from a source that records the lookups. */
    private static TreeSet<String> keysReadByTheConfiguration() {
        TreeSet<String> keys = new TreeSet<>();
        RedisCrewConfig.load(new ConfigSource(k -> {
            keys.add(k);
            return Optional.empty();
        }));
        return keys;
    }

    private static Map<String, String> example() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("crew-redis.env.example"))) {
            Matcher matcher = LINE.matcher(line.trim());
            if (matcher.matches()) {
                String previous = m.put(matcher.group(1), matcher.group(2).trim());
                assertEquals(null, previous, matcher.group(1) + " is listed twice in config/crew-redis.env.example");
            }
        }
        return m;
    }
}
