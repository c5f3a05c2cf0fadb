package io.mcpcrew.crew.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rate limiter contract on a three-master Redis Cluster: each check is a single-key script, so keys of any
 * tenant and resource, on any node, are decided where they live.
 */
@ExtendWith(RedisServerExtension.class)
class ClusterRateLimiterIT extends RateLimiterContract implements StoredQuotaContract, StoredUsageContract {
    private RedisCluster cluster;

    @BeforeEach
    void setUp(RedisCluster cluster) {
        this.cluster = cluster;
        cluster.flushAll();
    }

    @Override
    public RedisRateLimiter limiter(Map<String, String> extra) {
        return new RedisRateLimiter(redisManager(cluster.managerConfig(), extra));
    }

    @Override
    public Stored stored() {
        return new Stored() {
            @Override
            public String command(String... args) {
                return nodeOf(args[0].equalsIgnoreCase("MEMORY") ? args[2] : args[1]).command(args);
            }

            @Override
            public List<String> keys(String pattern) {
                return cluster.nodes().stream().flatMap(n -> n.scanKeys(pattern).stream()).sorted().toList();
            }
        };
    }

    /** The master serving {@code key}'s slot: the one that does not answer MOVED. */
    private RedisServer nodeOf(String key) {
        for (RedisServer n : cluster.nodes()) {
            if (!n.command("EXISTS", key).startsWith("-MOVED")) {
                return n;
            }
        }
        throw new AssertionError("no node serves the slot of " + key);
    }

    @Test
    void runsOnRedisCluster() {
        RedisRateLimiter limiter = limiter(Map.of());
        Duration w = Duration.ofMinutes(1);
        for (String tenant : List.of("a", "b", "c", "d", "e", "f")) {
            TenantRateLimiter t = limiter.forTenant(tenant);
            for (String resource : List.of("x", "y", "z")) {
                assertEquals(1, t.tryAcquire(resource, 2, w).remaining());
                assertEquals(0, t.tryAcquire(resource, 2, w).remaining());
                RateLimitDecision d = t.tryAcquire(resource, 2, w);
                assertFalse(d.allowed());
                assertEquals(DecidedBy.REDIS, d.decidedBy());
            }
        }
        int keys = 0;
        int nodesUsed = 0;
        for (RedisServer node : cluster.nodes()) {
            int here = node.scanKeys("crew:*:ratelimit:*").size();
            keys += here;
            nodesUsed += here > 0 ? 1 : 0;
        }
        assertEquals(18, keys);
        assertTrue(nodesUsed > 1, "the keys are spread over the masters");
    }
}
