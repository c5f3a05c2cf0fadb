package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.lock.DistributedLock;
import io.mcpcrew.crew.resilience.BreakerState;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RedisManager against a real, private redis-server. */
@ExtendWith(RedisServerExtension.class)
class RedisManagerIT {
    private RedisServer server;
    private JedisRedisManager redis;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.ensureRunningAndEmpty();
        redis = new JedisRedisManager(RedisCrewConfig.load(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.breaker.open-duration", "200ms",
                "redis.crew.breaker.probe-interval", "50ms", "redis.crew.timeout", "500ms")), null);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void tenantsNeverSeeEachOthersKeys() {
        TenantRedis a = redis.forTenant("alpha");
        TenantRedis b = redis.forTenant("beta");
        a.execute(j -> j.setex(a.keys().key("cache", "k"), 60, "A"));
        b.execute(j -> j.setex(b.keys().key("cache", "k"), 60, "B"));
        assertEquals("A", a.execute(j -> j.get(a.keys().key("cache", "k"))));
        assertEquals("B", b.execute(j -> j.get(b.keys().key("cache", "k"))));
        assertEquals(List.of("crew:alpha:cache:k"), server.scanKeys(a.keys().scanPattern("cache")));
        assertEquals(List.of("crew:beta:cache:k"), server.scanKeys(b.keys().scanPattern("cache")));
    }

    @Test
    void scriptsRefuseKeysOutsideTheTenant() {
        TenantRedis a = redis.forTenant("alpha");
        LuaScript s = LuaScript.fromResource(RedisManagerIT.class, "get.lua");
        assertThrows(IllegalArgumentException.class, () -> a.eval(s, List.of("crew:beta:cache:k"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> a.eval(s, List.of("other"), List.of()));
    }

    @Test
    void scriptStillRunsAfterScriptFlush() {
        TenantRedis t = redis.forTenant("t1");
        LuaScript s = LuaScript.fromResource(RedisManagerIT.class, "incrby.lua");
        String key = t.keys().key("cache", "n");
        redis.registerScript(s);
        assertEquals(2L, t.eval(s, List.of(key), List.of("2")));
        server.command("SCRIPT", "FLUSH");
        assertEquals(5L, t.eval(s, List.of(key), List.of("3")));
        // and after a restart (empty script cache, empty data)
        server.restart();
        awaitAvailable();
        assertEquals(3L, t.eval(s, List.of(key), List.of("3")));
        server.command("EXPIRE", key, "60");
    }

    @Test
    void lockKeyHasItsDataTypeTtlAndIsReleasedOnlyByItsHolder() {
        TenantRedis t = redis.forTenant("t1");
        DistributedLock lock = new DistributedLock(t);
        Optional<DistributedLock.Handle> h = lock.tryAcquire("cleanup", redis.ttl(DataType.LOCK));
        assertTrue(h.isPresent());
        long ttl = server.ttl("crew:t1:lock:cleanup");
        assertTrue(ttl > 25 && ttl <= 30, "ttl " + ttl);
        assertFalse(lock.tryAcquire("cleanup", Duration.ofSeconds(30)).isPresent());
        h.get().close();
        assertEquals(-2, server.ttl("crew:t1:lock:cleanup"));
        assertTrue(lock.tryAcquire("cleanup", Duration.ofSeconds(30)).isPresent());
    }

    @Test
    void dataErrorsAreNotRetryableAndDoNotOpenTheBreaker() {
        TenantRedis t = redis.forTenant("t1");
        String key = t.keys().key("cache", "h");
        t.execute(j -> j.hset(key, "f", "v"));
        for (int i = 0; i < 5; i++) {
            RedisDataException e = assertThrows(RedisDataException.class, () -> t.execute(j -> j.get(key)));
            assertFalse(e.isRetryable());
            assertTrue(e.getMessage().contains("WRONGTYPE"), e.getMessage());
        }
        assertEquals(BreakerState.State.CLOSED, redis.breakerState().state());
        server.command("DEL", key);
    }

    @Test
    void breakerOpensWhenRedisStopsAndClosesWhenItReturns() throws Exception {
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch recovered = new CountDownLatch(1);
        redis.addBreakerListener(s -> {
            if (s.state() == BreakerState.State.OPEN) {
                opened.countDown();
            }
        });
        redis.onRecovery(recovered::countDown);
        assertTrue(redis.ping().reachable());
        assertTrue(redis.serverVersion().orElse("").startsWith("7"), redis.serverVersion().toString());

        server.stop();
        TenantRedis t = redis.forTenant("t1");
        for (int i = 0; i < 3; i++) {
            RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                    () -> t.execute(j -> j.get(t.keys().key("cache", "x"))));
            assertTrue(e.isRetryable());
        }
        assertTrue(opened.await(5, TimeUnit.SECONDS));
        BreakerState s = redis.breakerState();
        assertEquals(BreakerState.State.OPEN, s.state());
        assertTrue(s.lastError().isPresent());
        assertFalse(redis.isAvailable());
        assertTrue(redis.useFallback());
        RedisUnavailableException fast = assertThrows(RedisUnavailableException.class, () -> t.execute(j -> j.ping()));
        assertTrue(fast.getMessage().contains("circuit breaker open"), fast.getMessage());
        assertFalse(redis.ping().reachable());

        server.start();
        assertTrue(recovered.await(10, TimeUnit.SECONDS), "the background probe should notice recovery");
        assertEquals(BreakerState.State.CLOSED, redis.breakerState().state());
        assertEquals("PONG", t.execute(j -> j.ping()));
    }

    /**
     * The connection pool starts no thread of its own (commons-pool's evictor would be one no container manages):
     * its upkeep runs when the manager's scheduler asks, and then closes idle connections the server dropped and
     * opens new ones up to min-idle.
     */
    @Test
    void theConnectionPoolStartsNoThreadAndItsUpkeepReplacesBrokenIdleConnections() throws Exception {
        try (JedisRedisManager m = new JedisRedisManager(RedisCrewConfig.load(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.pool.min-idle", "3")), null)) {
            assertTrue(m.ping().reachable());
            redis.clients.jedis.RedisClient client = (redis.clients.jedis.RedisClient) m.client();
            var pool = client.getPool();
            assertTrue(pool.getDurationBetweenEvictionRuns().isNegative(), "the pool's own evictor is off");
            assertEquals(1, JedisClients.upkeep(client));
            assertEquals(3, pool.getNumIdle(), "upkeep opens connections up to min-idle");
            List<String> evictors = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(n -> n.startsWith("commons-pool")).collect(java.util.stream.Collectors.toList());
            assertEquals(List.of(), evictors, "no thread of commons-pool");

            String killed = server.command("CLIENT", "KILL", "TYPE", "normal"); // every client but the harness's
            assertTrue(Long.parseLong(killed.replaceAll("[^0-9]", "")) >= 3, killed);
            long destroyed = pool.getDestroyedByEvictorCount();
            JedisClients.upkeep(client);
            assertTrue(pool.getDestroyedByEvictorCount() - destroyed >= 3,
                    "the broken idle connections are closed: " + (pool.getDestroyedByEvictorCount() - destroyed));
            assertEquals(3, pool.getNumIdle(), "and replaced");
            assertEquals("PONG", m.forTenant("alpha").execute(j -> j.ping()));
        }
    }

    private void awaitAvailable() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (redis.ping().reachable()) {
                return;
            }
        }
        throw new AssertionError("Redis did not come back");
    }
}
