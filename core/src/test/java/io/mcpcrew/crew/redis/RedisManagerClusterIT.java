package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.resilience.BreakerState;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RedisManager in cluster mode against a private three-master Redis Cluster. */
@ExtendWith(RedisServerExtension.class)
class RedisManagerClusterIT {

    private static JedisRedisManager manager(RedisCluster cluster) {
        return new JedisRedisManager(RedisCrewConfig.load(cluster.managerConfig()), null);
    }

    @Test
    void scriptsOverTaggedKeysRunOnCluster(RedisCluster cluster) {
        try (JedisRedisManager redis = manager(cluster)) {
            LuaScript move = LuaScript.fromResource(RedisManagerClusterIT.class, "move.lua");
            for (String tenant : List.of("t1", "t2", "t3", "acme")) {
                TenantRedis t = redis.forTenant(tenant);
                String a = t.keys().tagged("tasks", "default", "a");
                String b = t.keys().tagged("tasks", "default", "b");
                assertEquals(1L, t.eval(move, List.of(a, b), List.of("x")));
                t.execute(j -> j.del(a) + j.del(b));
            }
            // the same script over untagged keys of two slots is refused by Redis: the tag matters
            TenantRedis t = redis.forTenant("t1");
            RedisDataException e = assertThrows(RedisDataException.class, () -> t.eval(move,
                    List.of(t.keys().key("cache", "a"), t.keys().key("cache", "zz")), List.of("x")));
            assertTrue(e.getMessage().contains("CROSSSLOT") || e.getMessage().contains("slot"), e.getMessage());
            assertEquals(BreakerState.State.CLOSED, redis.breakerState().state(), "a bad command is not an outage");
        }
    }

    @Test
    void scriptReloadsOnEveryNodeAfterFlush(RedisCluster cluster) {
        try (JedisRedisManager redis = manager(cluster)) {
            LuaScript incr = LuaScript.fromResource(RedisManagerClusterIT.class, "incr.lua");
            for (int i = 0; i < 20; i++) {
                TenantRedis t = redis.forTenant("t" + i);
                String k = t.keys().key("cache", "n");
                assertEquals(1L, t.eval(incr, List.of(k), List.of()));
            }
            cluster.nodes().forEach(n -> n.command("SCRIPT", "FLUSH"));
            for (int i = 0; i < 20; i++) {
                TenantRedis t = redis.forTenant("t" + i);
                String k = t.keys().key("cache", "n");
                assertEquals(2L, t.eval(incr, List.of(k), List.of()));
                t.execute(j -> j.del(k));
            }
            assertTrue(redis.ping().reachable());
        }
    }
}
