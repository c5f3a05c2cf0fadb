package io.mcpcrew.crew.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.redis.DataType;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisCrewConfigTest {

    @Test
    void defaults() {
        RedisCrewConfig c = RedisCrewConfig.load(Map.of());
        assertEquals("localhost", c.host());
        assertEquals(6379, c.port());
        assertEquals(RedisMode.STANDALONE, c.mode());
        assertEquals("crew", c.keyPrefix());
        assertEquals(Duration.ofMinutes(30), c.ttl(DataType.SESSION));
        for (DataType t : DataType.values()) {
            assertTrue(c.ttl(t).compareTo(Duration.ZERO) > 0, t + " has a TTL");
        }
        assertTrue(c.fallbackEnabled());
    }

    /** Streams and queues never expire: a TTL setting for them is refused, whatever its value, naming the key. */
    @Test
    void eventAndTaskTtlsAreRefusedAtStartUp() {
        for (String value : new String[] {"0", "1h", "abc"}) {
            ConfigurationException event = assertThrows(ConfigurationException.class,
                    () -> RedisCrewConfig.load(Map.of("redis.crew.ttl.event", value)));
            assertEquals("redis.crew.ttl.event (env REDIS_CREW_TTL_EVENT) = \"" + value + "\": is not supported: event "
                    + "streams never expire; their retention is redis.crew.events.max-len and redis.crew.events.max-age "
                    + "(per stream redis.crew.events.stream.<name>.max-len / .max-age). Remove this setting",
                    event.getMessage());
            ConfigurationException task = assertThrows(ConfigurationException.class,
                    () -> RedisCrewConfig.load(Map.of("redis.crew.ttl.task", value)));
            assertTrue(task.getMessage().startsWith("redis.crew.ttl.task (env REDIS_CREW_TTL_TASK) = \"" + value
                    + "\": is not supported: task queues and unfinished tasks never expire"), task.getMessage());
            assertTrue(task.getMessage().contains("redis.crew.ttl.task-result"), task.getMessage());
        }
        RedisCrewConfig.load(Map.of("redis.crew.ttl.task-result", "2d")); // the neighbouring key is still a setting
    }

    @Test
    void aZeroTtlIsRefusedForEveryType() {
        for (DataType t : DataType.values()) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> RedisCrewConfig.load(Map.of(t.configKey(), "0")));
            assertTrue(e.getMessage().contains("must be a positive duration"), e.getMessage());
        }
    }

    /** META-INF/microprofile-config.properties documents the defaults: it must say what the code does. */
    @Test
    void propertiesFileMatchesCodeDefaults() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            p.load(in);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        RedisCrewConfig fromFile = RedisCrewConfig.load(m);
        RedisCrewConfig fromCode = RedisCrewConfig.load(Map.of());
        assertEquals(fromCode.host(), fromFile.host());
        assertEquals(fromCode.port(), fromFile.port());
        assertEquals(fromCode.timeout(), fromFile.timeout());
        assertEquals(fromCode.connectTimeout(), fromFile.connectTimeout());
        assertEquals(fromCode.mode(), fromFile.mode());
        assertEquals(fromCode.poolMaxTotal(), fromFile.poolMaxTotal());
        assertEquals(fromCode.poolMaxIdle(), fromFile.poolMaxIdle());
        assertEquals(fromCode.poolMinIdle(), fromFile.poolMinIdle());
        assertEquals(fromCode.poolMaxWait(), fromFile.poolMaxWait());
        assertEquals(fromCode.keyPrefix(), fromFile.keyPrefix());
        assertEquals(fromCode.breakerFailureThreshold(), fromFile.breakerFailureThreshold());
        assertEquals(fromCode.breakerOpenDuration(), fromFile.breakerOpenDuration());
        assertEquals(fromCode.breakerProbeInterval(), fromFile.breakerProbeInterval());
        assertEquals(fromCode.durabilityReplicas(), fromFile.durabilityReplicas());
        assertEquals(fromCode.durabilityTimeout(), fromFile.durabilityTimeout());
        for (DataType t : DataType.values()) {
            assertTrue(p.containsKey(t.configKey()), "properties file lacks " + t.configKey());
            assertEquals(fromCode.ttl(t), fromFile.ttl(t), t.configKey());
        }
    }

    @Test
    void valuesAreParsed() {
        RedisCrewConfig c = RedisCrewConfig.load(Map.of("redis.crew.port", "6380", "redis.crew.mode", "cluster",
                "redis.crew.nodes", "a:1, b:2", "redis.crew.ttl.session", "PT10M", "redis.crew.timeout", "250ms",
                "redis.crew.ttl.embedding", "3600", "redis.crew.ssl", "TRUE"));
        assertEquals(6380, c.port());
        assertEquals(RedisMode.CLUSTER, c.mode());
        assertEquals(2, c.nodes().size());
        assertEquals("b", c.nodes().get(1).host());
        assertEquals(Duration.ofMinutes(10), c.ttl(DataType.SESSION));
        assertEquals(Duration.ofHours(1), c.ttl(DataType.EMBEDDING));
        assertEquals(Duration.ofMillis(250), c.timeout());
        assertTrue(c.ssl());
    }

    @Test
    void badPortNamesVariableValueAndRule() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RedisCrewConfig.load(Map.of("redis.crew.port", "abc")));
        assertEquals("redis.crew.port (env REDIS_CREW_PORT) = \"abc\": must be an integer from 1 to 65535", e.getMessage());
        assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(Map.of("redis.crew.port", "70000")));
    }

    @Test
    void unknownMode() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RedisCrewConfig.load(Map.of("redis.crew.mode", "replicated")));
        assertEquals("redis.crew.mode (env REDIS_CREW_MODE) = \"replicated\": must be one of standalone | sentinel | cluster",
                e.getMessage());
    }

    @Test
    void negativeOrZeroTtl() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RedisCrewConfig.load(Map.of("redis.crew.ttl.session", "-5")));
        assertTrue(e.getMessage().startsWith("redis.crew.ttl.session (env REDIS_CREW_TTL_SESSION) = \"-5\": must be a duration"),
                e.getMessage());
        ConfigurationException z = assertThrows(ConfigurationException.class,
                () -> RedisCrewConfig.load(Map.of("redis.crew.ttl.task-result", "0")));
        assertTrue(z.getMessage().contains("REDIS_CREW_TTL_TASK_RESULT"), z.getMessage());
        assertTrue(z.getMessage().contains("never kept without a TTL"), z.getMessage());
    }

    @Test
    void clusterNeedsNodesAndWellFormedNodes() {
        assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(Map.of("redis.crew.mode", "sentinel")));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RedisCrewConfig.load(Map.of("redis.crew.mode", "cluster", "redis.crew.nodes", "a:1,b")));
        assertTrue(e.getMessage().contains("host:port"), e.getMessage());
    }

    @Test
    void badKeyPrefixAndBoolean() {
        assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(Map.of("redis.crew.key-prefix", "a:b")));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RedisCrewConfig.load(Map.of("redis.crew.ssl", "maybe")));
        assertEquals("redis.crew.ssl (env REDIS_CREW_SSL) = \"maybe\": must be true or false", e.getMessage());
    }

    @Test
    void envNames() {
        assertEquals("REDIS_CREW_POOL_MAX_TOTAL", ConfigSource.envName("redis.crew.pool.max-total"));
        assertEquals("REDIS_CREW_TTL_TASK_RESULT", ConfigSource.envName(DataType.TASK_RESULT.configKey()));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ofDays(7), Durations.parse("P7D"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("PT-1S"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
    }

    @Test
    void tlsStoresAreCheckedAtStartUp(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, "right".toCharArray());
        }
        TlsSettings ok = RedisCrewConfig.load(Map.of("redis.crew.ssl", "true", "redis.crew.ssl.truststore",
                store.toString(), "redis.crew.ssl.truststore-password", "right", "redis.crew.ssl.verify", "ca")).tls();
        assertEquals(store, ok.truststore());
        assertEquals(TlsSettings.Verify.CA, ok.verify());
        assertEquals("PKCS12", ok.truststoreType());
        assertTrue(ok.isCustom());
        assertEquals(TlsSettings.defaults(), RedisCrewConfig.load(Map.of("redis.crew.ssl", "true")).tls());

        ConfigurationException wrong = assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(Map.of(
                "redis.crew.ssl", "true", "redis.crew.ssl.truststore", store.toString(),
                "redis.crew.ssl.truststore-password", "wrong")));
        assertTrue(wrong.getMessage().startsWith("redis.crew.ssl.truststore (env REDIS_CREW_SSL_TRUSTSTORE) = \""
                + store + "\": cannot be opened as a PKCS12 store"), wrong.getMessage());
        ConfigurationException missing = assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(Map.of(
                "redis.crew.ssl", "true", "redis.crew.ssl.keystore", dir.resolve("none.p12").toString())));
        assertTrue(missing.getMessage().endsWith("no readable file at this path"), missing.getMessage());
        ConfigurationException off = assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(Map.of(
                "redis.crew.ssl.truststore", store.toString())));
        assertTrue(off.getMessage().contains("is set but redis.crew.ssl is false"), off.getMessage());
        ConfigurationException secret = assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(Map.of(
                "redis.crew.ssl.keystore-password", "hunter2")));
        assertTrue(!secret.getMessage().contains("hunter2"), "a password is never in a message: " + secret.getMessage());
        ConfigurationException type = assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(Map.of(
                "redis.crew.ssl", "true", "redis.crew.ssl.truststore-type", "PEM")));
        assertTrue(type.getMessage().endsWith("must be PKCS12 or JKS"), type.getMessage());
    }

    @Test
    void sentinelCredentialsNeedSentinelModeAndAPassword() {
        Map<String, String> sentinel = Map.of("redis.crew.mode", "sentinel", "redis.crew.nodes", "h:26379",
                "redis.crew.sentinel.username", "watcher", "redis.crew.sentinel.password", "pw");
        RedisCrewConfig c = RedisCrewConfig.load(sentinel);
        assertEquals("watcher", c.sentinelUsername().orElseThrow());
        assertEquals("pw", c.sentinelPassword().orElseThrow());
        ConfigurationException standalone = assertThrows(ConfigurationException.class,
                () -> RedisCrewConfig.load(Map.of("redis.crew.sentinel.password", "pw")));
        assertTrue(standalone.getMessage().contains("apply only with redis.crew.mode=sentinel"), standalone.getMessage());
        assertTrue(!standalone.getMessage().contains("\"pw\""), standalone.getMessage());
        ConfigurationException noPassword = assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(
                Map.of("redis.crew.mode", "sentinel", "redis.crew.nodes", "h:26379", "redis.crew.sentinel.username",
                        "watcher")));
        assertTrue(noPassword.getMessage().contains("needs redis.crew.sentinel.password"), noPassword.getMessage());
    }

    @Test
    void durabilityIsOffByDefaultAndItsTimeoutEndsBeforeTheSocketsDoes() {
        RedisCrewConfig off = RedisCrewConfig.load(Map.of());
        assertEquals(0, off.durabilityReplicas());
        assertEquals(Duration.ofMillis(500), off.durabilityTimeout());
        RedisCrewConfig on = RedisCrewConfig.load(Map.of("redis.crew.durability.replicas", "2",
                "redis.crew.durability.timeout", "1s"));
        assertEquals(2, on.durabilityReplicas());
        assertEquals(Duration.ofSeconds(1), on.durabilityTimeout());
        ConfigurationException tooLong = assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(
                Map.of("redis.crew.durability.replicas", "1", "redis.crew.durability.timeout", "2s")));
        assertEquals("redis.crew.durability.timeout (env REDIS_CREW_DURABILITY_TIMEOUT) = \"2s\": must be shorter than "
                + "redis.crew.timeout (2s): the reply of WAIT comes after the durability timeout and must arrive before "
                + "the socket gives up", tooLong.getMessage());
        assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(Map.of("redis.crew.durability.timeout",
                "0")), "WAIT 0 would wait for ever");
        assertThrows(ConfigurationException.class, () -> RedisCrewConfig.load(Map.of("redis.crew.durability.replicas",
                "-1")));
    }
}
