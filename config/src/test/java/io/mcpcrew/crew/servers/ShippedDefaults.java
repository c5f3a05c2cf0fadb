package io.mcpcrew.crew.servers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** What the tests that keep the configuration docs true compare against: the defaults core ships. */
final class ShippedDefaults {
    private ShippedDefaults() {
    }

    /** The {@code redis.crew.*} keys of core's shipped {@code META-INF/microprofile-config.properties} and their values. */
    static Map<String, String> shippedDefaults() throws IOException {
        Properties p = new Properties();
        try (InputStream in = RedisCrewConfig.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            assertTrue(in != null, "core's META-INF/microprofile-config.properties is not on the classpath");
            p.load(in);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith(RedisCrewConfig.PREFIX))
                .forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }
}
