package io.mcpcrew.crew.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpcrew.crew.testing.RedisSentinel;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sessions contract with Redis found through a private Sentinel: sessions and indexes live on its master. */
class SentinelSessionsIT extends SessionContract {
    private static RedisSentinel sentinel;

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinel.start();
    }

    @AfterAll
    static void stopSentinel() {
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @Override
    RedisSessionManager manager(Map<String, String> extra) {
        return new RedisSessionManager(redisManager(Map.of("redis.crew.mode", "sentinel", "redis.crew.nodes",
                sentinel.sentinelsSpec(), "redis.crew.sentinel.master", RedisSentinel.MASTER_NAME,
                "redis.crew.pool.max-total", "64", "redis.crew.timeout", "5s"), extra));
    }

    @Test
    void sessionsLiveOnTheMasterSentinelNames() {
        String tenant = unique("sen");
        TenantSessions s = tenant(tenant);
        String id = s.createSession("alice", Map.of("cart", 3), Duration.ofMinutes(10));
        String key = "crew:" + tenant + ":sessions:{" + tenant + ".alice}:session:" + id;
        assertEquals("3", sentinel.master().command("HGET", key, "d:cart"));
        assertEquals(id, sentinel.master().command("ZRANGE", "crew:" + tenant + ":sessions:{" + tenant + ".alice}:index",
                "0", "-1").trim());
        assertEquals(tenant, s.tenant());
    }
}
