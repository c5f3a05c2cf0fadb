package io.mcpcrew.crew.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Readiness against a real redis-server: UP with its data while Redis answers; DOWN, saying it did not answer within
 * the bound, while Redis hangs (SIGSTOP) and the client would wait far longer (a 30 s timeout); UP again after.
 */
@ExtendWith(RedisServerExtension.class)
class RedisReadinessCheckIT {
    private JedisRedisManager redis;
    private RedisReadinessCheck check;

    @BeforeEach
    void setUp(RedisServer server) {
        redis = new JedisRedisManager(RedisCrewConfig.load(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.timeout", "30s",
                "redis.crew.fallback.journal.enabled", "false")), null);
        check = new RedisReadinessCheck();
        check.redis = redis;
        check.start();
    }

    @AfterEach
    void tearDown() {
        check.stop();
        redis.close();
    }

    @Test
    void answersWithinItsBoundWhileRedisHangs(RedisServer server) {
        RedisReadinessCheck.Report up = check.report();
        assertTrue(up.up());
        Map<String, Object> data = up.data();
        assertTrue(data.containsKey("usedMemoryBytes"), data.toString());
        assertEquals("CLOSED", data.get("breaker"));

        server.freeze();
        try {
            for (int i = 0; i < 3; i++) { // the first waits for a PING sent now, the next ones for that same PING
                RedisReadinessCheck.Report down = check.report();
                assertFalse(down.up());
                String error = String.valueOf(down.data().get("error"));
                assertTrue(error.contains("did not answer within " + RedisReadinessCheck.ANSWER_BOUND.toMillis() + " ms"),
                        error);
            }
        } finally {
            server.thaw();
        }
        RedisReadinessCheck.Report again = check.report();
        assertTrue(again.up(), again.data().toString());
    }
}
