package io.mcpcrew.crew.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.embeddings.EmbeddingConfig;
import io.mcpcrew.crew.events.EventSettings;
import io.mcpcrew.crew.ratelimit.RateLimitSettings;
import io.mcpcrew.crew.sessions.SessionSettings;
import io.mcpcrew.crew.tasks.TaskQueueConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} true to the code: its tables (rows {@code | `key` | `ENV` | default | rule |})
 * document every {@code redis.crew.*} key exactly once, with its environment variable; every key with a default in
 * core's {@code META-INF/microprofile-config.properties} has that default (the first code span of its default
 * cell); and the documented keys are exactly the keys the code reads: those in the properties file plus those the
 * configuration classes ask for when loaded from a source that records the lookups. A key with a placeholder
 * ({@code <name>}, {@code <resource>}) stands for the keys read for any stream or resource name.
 */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("../docs/configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(redis\\.crew\\.[^`]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z]+>");
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("<[A-Z]+>");
    /** The name the recorded lookups use for a per-stream or per-resource key. */
    private static final String PROBE_NAME = "probe-name";

    @Test
    void documentsEveryKeyTheCodeReadsWithItsDefault() throws IOException {
        Map<String, Row> documented = documentedRows();
        Map<String, String> defaults = ShippedDefaults.shippedDefaults();
        TreeSet<String> read = keysReadByTheCode();
        read.addAll(defaults.keySet());
        RedisCrewConfig.REFUSED_KEYS.keySet().forEach(read::remove);

        TreeSet<String> missing = new TreeSet<>(read);
        missing.removeAll(documented.keySet());
        assertTrue(missing.isEmpty(), "docs/configuration.md lacks " + missing
                + ": add a row | `key` | `ENV_VAR` | `default` | rule and meaning | to its component's table");
        TreeSet<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(read);
        assertTrue(unknown.isEmpty(), "docs/configuration.md documents keys the code does not read: " + unknown);

        for (Row row : documented.values()) {
            assertEquals(envName(row.key), row.env, "environment variable of " + row.key + " in docs/configuration.md");
        }
        defaults.forEach((key, value) -> {
            Matcher code = CODE.matcher(documented.get(key).defaultCell);
            assertTrue(code.find(), key + " in docs/configuration.md: its default cell must show `" + value + "`");
            assertEquals(value, code.group(1), key + " in docs/configuration.md differs from core's "
                    + "microprofile-config.properties");
        });
    }

    /** A documented key with its placeholder replaced by {@link #PROBE_NAME}, its env var and its default cell. */
    private record Row(String key, String env, String defaultCell) {
    }

    private static Map<String, Row> documentedRows() throws IOException {
        assertTrue(Files.exists(DOC), DOC.toAbsolutePath() + " is missing");
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher m = ROW.matcher(line.trim());
            if (m.find()) {
                String key = PLACEHOLDER.matcher(m.group(1)).replaceAll(PROBE_NAME);
                String env = ENV_PLACEHOLDER.matcher(m.group(2)).replaceAll(envName(PROBE_NAME));
                if (rows.put(key, new Row(key, env, m.group(3).trim())) != null) {
                    duplicates.add(m.group(1));
                }
            }
        }
        assertTrue(duplicates.isEmpty(), "docs/configuration.md documents these keys more than once: " + duplicates);
        return rows;
    }

    /** The keys each configuration class asks for, loaded from an empty source that records every lookup. */
    private static TreeSet<String> keysReadByTheCode() {
        TreeSet<String> keys = new TreeSet<>();
        ConfigSource recording = new ConfigSource(k -> {
            keys.add(k);
            return Optional.empty();
        });
        RedisCrewConfig config = RedisCrewConfig.load(recording);
        EventSettings.load(recording).retention(PROBE_NAME);
        TaskQueueConfig.load(recording);
        EmbeddingConfig.load(recording);
        SessionSettings.from(config);
        new RateLimitSettings(recording, Duration.ofHours(1)).configuredQuota(PROBE_NAME);
        io.mcpcrew.crew.metrics.MetricsSettings.load(recording);
        keys.removeIf(k -> !k.startsWith(RedisCrewConfig.PREFIX));
        return keys;
    }

    private static String envName(String key) {
        return ConfigSource.envName(key);
    }
}
