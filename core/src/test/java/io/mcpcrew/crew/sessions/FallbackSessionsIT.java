package io.mcpcrew.crew.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.math.BigDecimal;
import java.time.Duration;
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

    @Override
    boolean unknownIsUnavailable() {
        return true;
    }

    private JedisRedisManager redis(Map<String, String> extra) {
        return redisManager(Map.of("redis.crew.host", server.host(), "redis.crew.port", String.valueOf(server.port()),
                "redis.crew.timeout", "500ms", "redis.crew.connect-timeout", "500ms",
                "redis.crew.breaker.open-duration", "200ms", "redis.crew.breaker.probe-interval", "50ms",
                "redis.crew.fallback.journal.enabled", "false"), extra);
    }

    /**
     * While Redis is down only node-local sessions can be revoked, and a user's list cannot be read: the rest is
     * reported, never pretended.
     */
    @Test
    @Override
    void listAndRevokePerUser() {
        TenantSessions s = tenant(unique("t"));
        List<String> ids = createForKimAndLee(s);
        String other = ids.get(2);
        RedisUnavailableException listing = assertThrows(RedisUnavailableException.class, () -> s.listSessions("kim"));
        assertTrue(listing.getMessage().contains("the sessions of user kim could not be listed"), listing.getMessage());
        RedisUnavailableException e = assertThrows(RedisUnavailableException.class, () -> s.deleteAllSessions("kim"));
        assertTrue(e.getMessage().contains("2 session(s) of user kim held on this node were deleted"), e.getMessage());
        assertEquals(Optional.empty(), s.getSession(ids.get(0)), "deleted here, so known to be gone");
        assertTrue(s.getSession(other).isPresent());
        assertTrue(s.deleteSession(other));
        assertFalse(s.deleteSession(other), "deleted here already");
        assertEquals(Optional.empty(), s.getSession(other));
    }

    /**
     * Redis hung rather than dead (the process is stopped with SIGSTOP, so its data survive): while the breaker is
     * open a session only Redis holds is never reported missing (reads, updates, touches and deletes of it fail as
     * unavailable: HTTP 503), nothing is written to it, and it is back, unchanged, after.
     */
    @Test
    void sessionsInRedisAreHiddenDuringTheOutageAndBackAfter() throws Exception {
        server.start();
        JedisRedisManager redis = redis(Map.of());
        TenantSessions s = new RedisSessionManager(redis).forTenant(unique("hid"));
        String id = s.createSession("ruth", Map.of("a", 1));
        String pid = server.command("INFO", "server").lines().filter(l -> l.startsWith("process_id:"))
                .map(l -> l.substring("process_id:".length()).trim()).findFirst().orElseThrow();
        signal("STOP", pid);
        try {
            await(() -> {
                try {
                    s.getSession(id); // the reads that time out open the breaker
                } catch (RedisUnavailableException e) {
                    // expected: first timeouts, then "not held on this node"
                }
                return redis.useFallback();
            }, "the breaker to open");
            RedisUnavailableException e = assertThrows(RedisUnavailableException.class, () -> s.getSession(id),
                    "never reported missing");
            assertTrue(e.getMessage().contains("session " + id + " is not held on this node"), e.getMessage());
            assertThrows(RedisUnavailableException.class, () -> s.updateSession(id, Map.of("a", 2)), "nor updated");
            assertThrows(RedisUnavailableException.class, () -> s.touch(id), "nor touched");
            assertThrows(RedisUnavailableException.class, () -> s.deleteSession(id), "a revocation is not pretended");
            assertThrows(RedisUnavailableException.class, () -> s.listSessions("ruth"), "nor listed in part");
        } finally {
            signal("CONT", pid);
        }
        await(() -> {
            try {
                return s.getSession(id).isPresent();
            } catch (RedisUnavailableException e) {
                return false; // until the breaker closes again
            }
        }, "the session to be back with Redis");
        assertEquals(new BigDecimal(1), s.getSession(id).orElseThrow().data().get("a"));
    }

    private static void signal(String signal, String pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
        assertEquals(0, p.waitFor(), "kill -" + signal + " " + pid);
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
        assertEquals(new BigDecimal(2), after.data().get("step"));
        assertEquals(before.createdAt(), after.createdAt());
        assertEquals(before.expiresAt(), after.expiresAt());
        assertEquals(Duration.ofMinutes(10), after.ttl());
        assertEquals(List.of(id), s.listSessions("quinn").stream().map(Session::id).toList());
        assertTrue(s.updateSession(id, Map.of("step", 3)));
        assertEquals("3", server.command("HGET", key, "d:step"));
    }
}
