package io.mcpcrew.crew.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.lock.DistributedLock;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions on a real, private redis-server: the contract, plus what only Redis shows (keys, TTLs, index, cleanup). */
@ExtendWith(RedisServerExtension.class)
class RedisSessionsIT extends SessionContract {
    private RedisServer server;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        if (!server.isRunning()) {
            server.start();
        }
    }

    @Override
    RedisSessionManager manager(Map<String, String> extra) {
        return new RedisSessionManager(redis(extra));
    }

    private JedisRedisManager redis(Map<String, String> extra) {
        return redisManager(Map.of("redis.crew.host", server.host(), "redis.crew.port", String.valueOf(server.port()),
                "redis.crew.pool.max-total", "64", "redis.crew.timeout", "5s"), extra);
    }

    private long zcard(String key) {
        return Long.parseLong(server.command("ZCARD", key).substring(1).trim());
    }

    private long pttl(String key) {
        return Long.parseLong(server.command("PTTL", key).substring(1).trim());
    }

    @Test
    void keysFollowTheWireFormatAndAllHaveTtls() {
        String tenant = unique("wire");
        TenantSessions s = tenant(tenant);
        String id = s.createSession("alice", Map.of("cart", 3, "name", "x"), Duration.ofMinutes(10));
        String key = "crew:" + tenant + ":sessions:{" + tenant + ".alice}:session:" + id;
        String index = "crew:" + tenant + ":sessions:{" + tenant + ".alice}:index";
        assertEquals("3", server.command("HGET", key, "d:cart"));
        assertEquals("\"x\"", server.command("HGET", key, "d:name"));
        assertEquals("alice", server.command("HGET", key, "userId"));
        assertEquals("600000", server.command("HGET", key, "ttlMs"));
        assertEquals("12", server.command("HGET", key, "dataBytes")); // "cart"+"3" + "name"+"\"x\""
        String expiresAt = server.command("HGET", key, "expiresAt");
        assertEquals(expiresAt, server.command("ZSCORE", index, id));
        long ttl = pttl(key);
        assertTrue(ttl > 590_000 && ttl <= 600_000, "session PTTL " + ttl);
        long indexTtl = pttl(index);
        assertTrue(indexTtl > 590_000 && indexTtl <= 600_000, "index PTTL " + indexTtl);
        assertTrue(server.command("ZRANGE", "crew:_sys:sessions:tenants", "0", "-1").contains(tenant));
        assertTrue(server.command("ZRANGE", "crew:" + tenant + ":sessions:users", "0", "-1").contains("alice"));
        // no key of this component lives without a TTL
        List<String> keys = new ArrayList<>(server.scanKeys("crew:" + tenant + ":*"));
        keys.add("crew:_sys:sessions:tenants");
        assertEquals(4, keys.size(), keys.toString());
        for (String k : keys) {
            assertTrue(pttl(k) > 0, k + " has no TTL");
        }
    }

    @Test
    void indexStaysBoundedAfterTenThousandSessionsExpire() throws Exception {
        String tenant = unique("mass");
        TenantSessions s = manager(Map.of("redis.crew.pool.max-total", "64")).forTenant(tenant);
        int users = 10;
        List<String> longLived = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            longLived.add(s.createSession("u" + u, Map.of("keep", true), SessionImportance.LONG_LIVED));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> fs = new ArrayList<>();
        int total = 10_000;
        for (int t = 0; t < 8; t++) {
            int thread = t;
            fs.add(pool.submit(() -> {
                for (int i = thread; i < total; i += 8) {
                    s.createSession("u" + (i % users), Map.of("i", i), Duration.ofSeconds(3));
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get(300, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long createdBy = System.currentTimeMillis();
        await(() -> System.currentTimeMillis() > createdBy + 3_500, "every short session to pass its expiry");

        String indexOf0 = "crew:" + tenant + ":sessions:{" + tenant + ".u0}:index";
        long stale = 0;
        for (int u = 0; u < users; u++) {
            stale += zcard("crew:" + tenant + ":sessions:{" + tenant + ".u" + u + "}:index") - 1;
        }
        assertTrue(stale > 0, "some expired entries are left to clean");
        long staleOf0 = zcard(indexOf0) - 1;
        // any write prunes the user's index: no cleanup needed for it to shrink
        s.createSession("u0", Map.of(), Duration.ofMinutes(1));
        assertEquals(2, zcard(indexOf0));

        assertEquals(stale - staleOf0, s.cleanupExpiredSessions());
        for (int u = 0; u < users; u++) {
            assertEquals(u == 0 ? 2 : 1, zcard("crew:" + tenant + ":sessions:{" + tenant + ".u" + u + "}:index"));
        }
        assertEquals(0, s.cleanupExpiredSessions());
        assertEquals(users + 1, server.scanKeys("crew:" + tenant + ":sessions:*:session:*").size());
        for (String id : longLived) {
            assertTrue(s.getSession(id).isPresent());
        }
    }

    @Test
    void cleanupCountsStaleEntriesAndRunsOncePerTenantAcrossNodes() {
        server.flushAll(); // cleanupAllTenants visits every tenant: none but this test's
        RedisSessionManager nodeA = manager(Map.of());
        RedisSessionManager nodeB = manager(Map.of());
        String t1 = unique("c1");
        String t2 = unique("c2");
        // one short session per user, after its long one: no later write of that user prunes it before cleanup
        List<String> short1 = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodeA.forTenant(t1).createSession("ann" + i, Map.of(), Duration.ofHours(1));
            short1.add(nodeA.forTenant(t1).createSession("ann" + i, Map.of(), Duration.ofMillis(200)));
        }
        List<String> short2 = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            nodeB.forTenant(t2).createSession("ben" + i, Map.of(), Duration.ofHours(1));
            short2.add(nodeB.forTenant(t2).createSession("ben" + i, Map.of(), Duration.ofMillis(200)));
        }
        await(() -> short1.stream().allMatch(id -> nodeA.forTenant(t1).getSession(id).isEmpty())
                && short2.stream().allMatch(id -> nodeB.forTenant(t2).getSession(id).isEmpty()), "expiry");
        assertTrue(nodeA.tenantsWithSessions().containsAll(List.of(t1, t2)));

        // node B holds t2's cleanup lock: node A cleans t1 only
        try (DistributedLock.Handle held = new DistributedLock(redis(Map.of()).forTenant(t2))
                .tryAcquire(RedisSessionManager.CLEANUP_LOCK, Duration.ofSeconds(30)).orElseThrow()) {
            assertEquals(3, nodeA.cleanupAllTenants());
        }
        assertEquals(2, nodeB.cleanupAllTenants());
        assertEquals(0, nodeA.cleanupAllTenants());
        assertEquals(1, nodeA.forTenant(t1).listSessions("ann0").size());
    }

    @Test
    void revokeInOneTenantLeavesTheSameUserInAnother() {
        RedisSessionManager m = manager(Map.of());
        TenantSessions a = m.forTenant(unique("a"));
        TenantSessions b = m.forTenant(unique("b"));
        String inA = a.createSession("nia", Map.of());
        b.createSession("nia", Map.of());
        assertEquals(1, b.deleteAllSessions("nia"));
        assertTrue(a.getSession(inA).isPresent());
        assertEquals(1, a.listSessions("nia").size());
    }

    @Test
    void updateOfThousandsOfFieldsAtOnceIsOneMerge() {
        TenantSessions s = manager(Map.of("redis.crew.sessions.max-data-bytes", "1000000")).forTenant(unique("many"));
        String id = s.createSession("rita", Map.of("keep", 1));
        Map<String, Object> changes = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            changes.put("f" + i, i);
        }
        assertTrue(s.updateSession(id, changes));
        Map<String, Object> data = s.getSession(id).orElseThrow().data();
        assertEquals(3001, data.size());
        assertEquals(new java.math.BigDecimal(2999), data.get("f2999"));
    }

    @Test
    void lockKeyOfTheCleanupIsTenantScoped() {
        server.flushAll(); // cleanupAllTenants visits every tenant: none but this test's
        String tenant = unique("lk");
        RedisSessionManager m = manager(Map.of());
        m.forTenant(tenant).createSession("zed", Map.of());
        assertEquals(0, m.cleanupAllTenants());
        assertEquals(-2, server.ttl("crew:" + tenant + ":lock:sessions-cleanup"), "released after the run");
    }

    @Test
    void expiredSessionLeavesNoKeyBehindAndUpdateDoesNotRecreateIt() {
        String tenant = unique("gone");
        TenantSessions s = tenant(tenant);
        String id = s.createSession("olga", Map.of("a", 1), Duration.ofMillis(150));
        await(() -> s.getSession(id).isEmpty(), "expiry");
        assertFalse(s.updateSession(id, Map.of("a", 2)));
        assertEquals(Optional.empty(), s.touch(id));
        assertEquals(List.of(), server.scanKeys("crew:" + tenant + ":sessions:*:session:*"));
    }
}
