package io.mcpcrew.crew.listing;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The listing contract on a standalone redis-server. */
@ExtendWith(RedisServerExtension.class)
class ListingIT extends ListingContract {
    private RedisServer server;

    @BeforeEach
    void server(RedisServer server) {
        this.server = server;
        if (!server.isRunning()) {
            server.start();
        }
        open();
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
    int masters() {
        return 1;
    }
}
