package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.testing.RedisSentinel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sentinel mode: the manager finds the master through a private Sentinel and runs commands and scripts on it. */
class RedisManagerSentinelIT {

    @Test
    void findsTheMasterThroughSentinel() {
        try (RedisSentinel sentinel = RedisSentinel.start();
             JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(Map.of("redis.crew.mode", "sentinel",
                     "redis.crew.nodes", sentinel.sentinelsSpec(), "redis.crew.sentinel.master", RedisSentinel.MASTER_NAME)),
                     null)) {
            assertTrue(redis.ping().reachable());
            TenantRedis t = redis.forTenant("t1");
            String key = t.keys().key("cache", "s");
            t.execute(j -> j.setex(key, 60, "via-sentinel"));
            assertEquals("via-sentinel", sentinel.master().command("GET", key));
            LuaScript s = LuaScript.fromResource(RedisManagerSentinelIT.class, "get.lua");
            assertEquals("via-sentinel", t.eval(s, List.of(key), List.of()));
        }
    }
}
