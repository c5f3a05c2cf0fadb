package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskState;
import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.TestCertificates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Production connection settings against real processes: TLS to a {@code redis-server} with a TLS port, certificates
 * of a private CA this test makes ({@link TestCertificates}), a client certificate the server requires, host name
 * verification on and off; and a Sentinel that requires an ACL login ({@code redis.crew.sentinel.username} and
 * {@code .password}).
 */
class RedisSecureConnectionIT {
    private static TestCertificates certs;
    private static TestCertificates otherCa;
    private static RedisServer server;
    private static int tlsPort;
    private final List<JedisRedisManager> managers = new ArrayList<>();

    @BeforeAll
    static void start() {
        certs = TestCertificates.create("crew-test-ca", "IP:127.0.0.1");
        otherCa = TestCertificates.create("another-ca", "IP:127.0.0.1");
        tlsPort = RedisServer.freePort();
        server = RedisServer.onFreePort(certs.redisServerArgs(tlsPort, true).toArray(new String[0])).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        certs.delete();
        otherCa.delete();
    }

    @AfterEach
    void close() {
        managers.forEach(JedisRedisManager::close);
    }

    private JedisRedisManager open(String host, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(Map.of("redis.crew.host", host, "redis.crew.port",
                String.valueOf(tlsPort), "redis.crew.timeout", "2s", "redis.crew.fallback.enabled", "false",
                "redis.crew.breaker.failure-threshold", "1000"));
        c.putAll(extra);
        JedisRedisManager m = new JedisRedisManager(RedisCrewConfig.load(c), null);
        managers.add(m);
        return m;
    }

    private static Map<String, String> tls(TestCertificates trust, boolean clientCertificate) {
        Map<String, String> c = new HashMap<>(Map.of("redis.crew.ssl", "true", "redis.crew.ssl.truststore",
                trust.truststore().toString(), "redis.crew.ssl.truststore-password", TestCertificates.STORE_PASSWORD));
        if (clientCertificate) {
            c.put("redis.crew.ssl.keystore", certs.clientKeystore().toString());
            c.put("redis.crew.ssl.keystore-password", TestCertificates.STORE_PASSWORD);
        }
        return c;
    }

    @Test
    void withTheCaAndAClientCertificateEveryComponentWorksOverTls() {
        JedisRedisManager m = open("127.0.0.1", tls(certs, true));
        PingResult ping = m.ping();
        assertTrue(ping.reachable(), ping.error().orElse(""));
        TaskQueue q = new RedisTaskQueues(m).forTenant("acme").queue("tls");
        String id = q.enqueue("echo", "{\"secure\":true}", TaskPriority.NORMAL);
        assertEquals(TaskState.PENDING, q.get(id).orElseThrow().state());
        String clients = server.command("CLIENT", "LIST");
        assertTrue(clients.contains("name=crew-redis"), "the client is connected: " + clients);
    }

    @Test
    void aClientWithoutTheCertificateTheServerRequiresIsRefused() {
        JedisRedisManager m = open("127.0.0.1", tls(certs, false));
        PingResult ping = m.ping();
        assertFalse(ping.reachable());
        RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                () -> m.forTenant("acme").execute(j -> j.get("k")));
        assertTrue(e.getMessage().contains("127.0.0.1:" + tlsPort), e.getMessage());
    }

    @Test
    void aServerCertificateOfAnUntrustedCaIsRefused() {
        JedisRedisManager m = open("127.0.0.1", tls(otherCa, true));
        RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                () -> m.forTenant("acme").execute(j -> j.get("k")));
        assertTrue(chain(e).contains("PKIX") || chain(e).contains("certif"), chain(e));
    }

    @Test
    void plainTextToTheTlsPortFails() {
        JedisRedisManager m = open("127.0.0.1", Map.of());
        assertFalse(m.ping().reachable());
    }

    @Test
    void theHostNameIsCheckedUnlessVerifyIsCa() {
        // the server certificate names IP 127.0.0.1 only: "localhost" is not in it
        JedisRedisManager full = open("localhost", tls(certs, true));
        RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                () -> full.forTenant("acme").execute(j -> j.get("k")));
        assertTrue(chain(e).contains("localhost") || chain(e).contains("subject alternative"), chain(e));

        Map<String, String> caOnly = tls(certs, true);
        caOnly.put("redis.crew.ssl.verify", "ca");
        JedisRedisManager ca = open("localhost", caOnly);
        assertTrue(ca.ping().reachable(), ca.ping().error().orElse(""));
    }

    @Test
    void aSentinelThatRequiresALoginIsReachedWithItsOwnCredentials() {
        try (RedisSentinel sentinel = RedisSentinel.start().requireLogin("crew-sentinel", "s3ntinel-pass")) {
            Map<String, String> c = new HashMap<>(sentinel.managerConfig());
            c.put("redis.crew.fallback.enabled", "false");
            c.put("redis.crew.timeout", "2s");
            JedisRedisManager refused = new JedisRedisManager(RedisCrewConfig.load(c), null);
            managers.add(refused);
            RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                    () -> refused.forTenant("acme").execute(j -> j.get("k")));
            assertTrue(chain(e).contains("NOAUTH"), chain(e));

            c.put("redis.crew.sentinel.username", "crew-sentinel");
            c.put("redis.crew.sentinel.password", "s3ntinel-pass");
            JedisRedisManager m = new JedisRedisManager(RedisCrewConfig.load(c), null);
            managers.add(m);
            m.forTenant("acme").execute(j -> j.set("through-sentinel", "yes"));
            assertEquals("yes", m.forTenant("acme").execute(j -> j.get("through-sentinel")));
        }
    }

    /** The messages of {@code t} and its causes. */
    private static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" / ");
        }
        return b.toString();
    }
}
