package io.mcpcrew.crew.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events on a real, private redis-server: the contract, plus the manager's threads, shutdown and liveness. */
@ExtendWith(RedisServerExtension.class)
class RedisEventsIT extends EventsContract {
    private RedisServer server;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.ensureRunningAndEmpty();
    }

    @Override
    Map<String, String> topology() {
        return Map.of("redis.crew.host", server.host(), "redis.crew.port", String.valueOf(server.port()));
    }

    @Test
    void closeStopsEverySubscriptionAndItsThreads() throws Exception {
        Map<String, String> cfg = new HashMap<>(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.events.block", "200ms"));
        JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(cfg), null);
        closeLater(redis);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        RedisEventManager events = new RedisEventManager(redis, r -> {
            Thread th = new Thread(r);
            threads.add(th);
            return th;
        });
        TenantEvents t = events.forTenant("t1");
        Subscription a = t.subscribe("x", e -> { });
        Subscription b = t.subscribe("x", "g", e -> { });
        assertEquals(2, threads.size());
        assertTrue(a.isActive() && b.isActive());
        assertTrue(events.alive(), events.detail());
        assertEquals("1 broadcast reader(s), 1 group consumer(s), 0 buffered event(s)", events.detail());
        events.close();
        assertFalse(a.isActive() || b.isActive());
        for (Thread th : threads) {
            assertFalse(th.isAlive(), th + " still running after close()");
        }
        assertThrows(IllegalStateException.class, () -> t.subscribe("x", e -> { }));
    }

    @Test
    void livenessTurnsFalseWhenAReaderThreadIsGone() {
        Map<String, String> cfg = new HashMap<>(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port())));
        JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(cfg), null);
        closeLater(redis);
        RedisEventManager events = new RedisEventManager(redis, r -> new Thread(() -> { })); // threads that do nothing
        closeLater(events);
        assertTrue(events.alive());
        Subscription s = events.forTenant("t1").subscribe("x", "g", e -> { });
        await("the dead reader noticed", () -> !events.alive());
        s.close();
        assertTrue(events.alive(), "a closed subscription no longer counts");
    }
}
