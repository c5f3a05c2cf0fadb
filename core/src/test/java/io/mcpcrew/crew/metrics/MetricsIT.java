package io.mcpcrew.crew.metrics;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The metrics contract on a standalone redis-server. */
@ExtendWith(RedisServerExtension.class)
class MetricsIT extends MetricsContract {
    private RedisServer server;

    @BeforeEach
    void server(RedisServer server) {
        this.server = server.ensureRunningAndEmpty();
    }

    @Override
    Map<String, String> connection() {
        return Map.of("redis.crew.host", server.host(), "redis.crew.port", String.valueOf(server.port()));
    }

    @Override
    void flush() {
        server.flushAll();
    }

    @Override
    void configSet(String parameter, String value) {
        server.command("CONFIG", "SET", parameter, value);
    }
}
