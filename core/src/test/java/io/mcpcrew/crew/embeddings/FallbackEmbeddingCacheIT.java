package io.mcpcrew.crew.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract on the local fallback: the redis-server is stopped for the whole class, so every operation runs on
 * the bounded in-memory LRU (the first calls fail over on the connection error, later ones on the open breaker).
 */
@ExtendWith(RedisServerExtension.class)
class FallbackEmbeddingCacheIT extends EmbeddingCacheContract {
    private RedisServer server;
    private final List<JedisRedisManager> managers = new ArrayList<>();

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.stop();
    }

    @AfterEach
    void tearDown() {
        managers.forEach(JedisRedisManager::close);
        managers.clear();
    }

    @Override
    RedisEmbeddingCache cache() {
        JedisRedisManager m = new JedisRedisManager(RedisCrewConfig.load(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.breaker.open-duration", "10s",
                "redis.crew.connect-timeout", "500ms", "redis.crew.timeout", "500ms")), null);
        managers.add(m);
        RedisEmbeddingCache c = new RedisEmbeddingCache(m, EmbeddingConfig.load(m.config().source()));
        return c;
    }

    @Test
    void everythingIsServedLocally() {
        RedisEmbeddingCache cache = cache();
        ModelEmbeddingCache c = cache.forModel("t1", "m");
        c.store("a", vector(3, 1));
        c.retrieve("a");
        EmbeddingStats s = c.stats();
        assertEquals(1, s.localHits());
        assertEquals(1, s.localStores());
        assertTrue(cache.fallbackLru().bytes() > 12);
        assertTrue(!server.isRunning());
    }
}
