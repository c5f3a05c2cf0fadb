package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract on the local fallback: the redis-server is stopped for the whole class, so every operation runs on
 * the bounded in-memory LRU (the first calls fail over on the connection error, later ones on the open breaker).
 */
@ExtendWith(RedisServerExtension.class)
class FallbackEmbeddingCacheIT extends EmbeddingCacheContract {
    private RedisServer server;

    @BeforeEach
    void stopRedis(RedisServer server) {
        this.server = server;
        server.stop();
    }

    @Override
    RedisEmbeddingCache cache() {
        return cacheOn(new JedisRedisManager(RedisCrewConfig.load(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.breaker.open-duration", "10s",
                "redis.crew.connect-timeout", "500ms", "redis.crew.timeout", "500ms")), null));
    }

    @Override
    boolean servesLocally() {
        return true;
    }
}
