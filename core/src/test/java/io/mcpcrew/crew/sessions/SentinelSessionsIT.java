package io.mcpcrew.crew.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sessions contract with Redis found through a private Sentinel: sessions and indexes live on its master. */
@ExtendWith(RedisServerExtension.class)
class SentinelSessionsIT extends SessionContract {
    private static RedisSentinel sentinel;

    @BeforeAll
    static void setUpSentinel(RedisSentinel started) {
        sentinel = started;
    }

    @Override
    RedisSessionManager manager(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(sentinel.managerConfig());
        config.putAll(Map.of("redis.crew.pool.max-total", "64", "redis.crew.timeout", "5s"));
        return new RedisSessionManager(redisManager(config, extra));
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
