package io.mcpcrew.crew.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sessions contract on a three-master Redis Cluster: every script's keys share the user's hash tag, and the
 * registries are single-key scripts, so nothing answers CROSSSLOT.
 */
@ExtendWith(RedisServerExtension.class)
class ClusterSessionsIT extends SessionContract {
    private RedisCluster cluster;

    @BeforeEach
    void setUp(RedisCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    RedisSessionManager manager(Map<String, String> extra) {
        return new RedisSessionManager(redisManager(Map.of("redis.crew.mode", "cluster", "redis.crew.nodes",
                cluster.nodesSpec(), "redis.crew.timeout", "5s"), extra));
    }

    @Test
    void cleanupAcrossUsersOnDifferentSlots() {
        cluster.flushAll(); // cleanupAllTenants visits every tenant: none but this test's
        RedisSessionManager m = manager(Map.of());
        String tenant = unique("cl");
        TenantSessions s = m.forTenant(tenant);
        java.util.List<String> ids = new java.util.ArrayList<>();
        // the long-lived session first: a later write of the same user would prune an already expired entry
        for (int u = 0; u < 20; u++) {
            s.createSession("user" + u, Map.of(), Duration.ofHours(1));
            ids.add(s.createSession("user" + u, Map.of("u", u), Duration.ofMillis(200)));
        }
        await(() -> ids.stream().allMatch(id -> s.getSession(id).isEmpty()), "expiry");
        assertEquals(20, m.cleanupAllTenants());
        assertEquals(1, s.listSessions("user7").size());
        assertEquals(1, s.deleteAllSessions("user7"));
    }
}
