package io.mcpcrew.crew.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sessions contract while the redis-server is stopped (the in-memory fallback serves), and the write-back of
 * sessions created during the outage when Redis returns.
 */
@ExtendWith(RedisServerExtension.class)
class FallbackSessionsIT extends SessionContract {
    private RedisServer server;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.stop();
    }

    @Override
    RedisSessionManager manager(Map<String, String> extra) {
        return new RedisSessionManager(redis(extra));
    }

    private JedisRedisManager redis(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(BASE);
        config.put("redis.crew.host", server.host());
        config.put("redis.crew.port", String.valueOf(server.port()));
        config.put("redis.crew.timeout", "500ms");
        config.put("redis.crew.connect-timeout", "500ms");
        config.put("redis.crew.breaker.open-duration", "200ms");
        config.put("redis.crew.breaker.probe-interval", "50ms");
        config.putAll(extra);
        JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(config), null);
        closeLater(redis);
        return redis;
    }

    /** While Redis is down only node-local sessions can be revoked; the rest is reported, never pretended. */
    @Test
    @Override
    void listAndRevokePerUser() {
        TenantSessions s = tenant(unique("t"));
        String a1 = s.createSession("kim", Map.of("n", 1), Duration.ofMinutes(5));
        String a2 = s.createSession("kim", Map.of("n", 2), Duration.ofMinutes(10));
        String other = s.createSession("lee", Map.of());
        assertEquals(List.of(a1, a2), s.listSessions("kim").stream().map(Session::getId).toList());
        RedisUnavailableException e = assertThrows(RedisUnavailableException.class, () -> s.deleteAllSessions("kim"));
        assertTrue(e.getMessage().contains("2 session(s) of user kim held on this node were deleted"), e.getMessage());
        assertTrue(s.listSessions("kim").isEmpty());
        assertTrue(s.getSession(other).isPresent());
        assertTrue(s.deleteSession(other));
        assertThrows(RedisUnavailableException.class, () -> s.deleteSession(other), "unknown here, maybe in Redis");
    }

    @Test
    @Override
    void tenantsAreIsolated() {
        RedisSessionManager m = manager(Map.of());
        TenantSessions a = m.forTenant(unique("a"));
        TenantSessions b = m.forTenant(unique("b"));
        String id = a.createSession("nia", Map.of("k", "A"));
        assertEquals(Optional.empty(), b.getSession(id));
        assertFalse(b.updateSession(id, Map.of("k", "B")));
        assertTrue(b.listSessions("nia").isEmpty());
        assertEquals("A", a.getSession(id).orElseThrow().getData().get("k"));
    }

    @Test
    void localStoreIsBounded() {
        TenantSessions s = manager(Map.of("redis.crew.sessions.fallback.max-sessions", "3")).forTenant(unique("t"));
        for (int i = 0; i < 3; i++) {
            s.createSession("pam", Map.of());
        }
        RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                () -> s.createSession("pam", Map.of()));
        assertTrue(e.getMessage().contains("fallback.max-sessions"), e.getMessage());
    }

    @Test
    void sessionsCreatedDuringTheOutageAreWrittenBackWhenRedisReturns() {
        RedisSessionManager m = manager(Map.of());
        String tenant = unique("wb");
        TenantSessions s = m.forTenant(tenant);
        String id = s.createSession("quinn", Map.of("step", 1), Duration.ofMinutes(10));
        String gone = s.createSession("quinn", Map.of(), Duration.ofMillis(100));
        assertTrue(s.updateSession(id, Map.of("step", 2)));
        var before = s.getSession(id).orElseThrow();
        await(() -> s.getSession(gone).isEmpty(), "the short one to expire locally");

        server.start();
        await(() -> m.locallyHeldSessions() == 0, "the write-back after recovery");
        String key = "crew:" + tenant + ":sessions:{" + tenant + ".quinn}:session:" + id;
        assertEquals("2", server.command("HGET", key, "d:step"));
        long pttl = Long.parseLong(server.command("PTTL", key).substring(1).trim());
        assertTrue(pttl > 0 && pttl <= 600_000, "remaining TTL kept: " + pttl);
        Session after = s.getSession(id).orElseThrow();
        assertEquals(new BigDecimal(2), after.getData().get("step"));
        assertEquals(before.getCreatedAt(), after.getCreatedAt());
        assertEquals(before.getExpiresAt(), after.getExpiresAt());
        assertEquals(Duration.ofMinutes(10), after.getTtl());
        assertEquals(List.of(id), s.listSessions("quinn").stream().map(Session::getId).toList());
        assertTrue(s.updateSession(id, Map.of("step", 3)));
        assertEquals("3", server.command("HGET", key, "d:step"));
    }
}
