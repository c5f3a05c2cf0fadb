package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.testing.RedisServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link JedisRedisManager}s of one integration test on a private redis-server: a breaker that opens and
 * recovers quickly (200 ms open, 50 ms probe), a 1 s timeout, no fallback journal unless a test asks for one, any
 * extra {@code redis.crew.*} keys. {@link #close()}
 * (from {@code @AfterEach}) closes them all and restarts the server if the test left it stopped.
 */
public final class TestManagers implements AutoCloseable {
    private final RedisServer server;
    private final List<JedisRedisManager> open = new ArrayList<>();

    public TestManagers(RedisServer server) {
        this.server = server;
    }

    public JedisRedisManager open(Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.breaker.open-duration", "200ms",
                "redis.crew.breaker.probe-interval", "50ms", "redis.crew.timeout", "1s",
                "redis.crew.pool.max-total", "16", "redis.crew.fallback.journal.enabled", "false"));
        c.putAll(extra);
        JedisRedisManager m = new JedisRedisManager(RedisCrewConfig.load(c), null);
        open.add(m);
        return m;
    }

    @Override
    public void close() {
        open.forEach(JedisRedisManager::close);
        open.clear();
        if (!server.isRunning()) {
            server.start();
        }
    }
}
