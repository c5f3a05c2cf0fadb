package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.RedisServer;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Three nodes on a Redis Cluster of three masters with one replica each, under the mixed load: {@code kill -9} of the
 * master that holds the first queue's slot (the other queues, streams and users are spread over all three), and
 * {@code kill -9} of a node.
 *
 * <p>Asserted in every run (what the library holds today): no 5xx but 503 with {@code Retry-After}; no event stored
 * twice; nothing acknowledged lost and no task completed twice; after a node's {@code kill -9} no 404 for existing
 * data, readiness answering within 5 s and the nodes in rotation ready throughout.
 *
 * <p>Not held yet, checked only with {@code -Dtopology.expect-fixed=true} (the methods named {@code expectFixed...});
 * measured in five runs of the suite:
 * <ul>
 * <li>readiness answering within its bound (5 s) while the shard fails over: the readiness PING goes to every master,
 * and to the dead one the Cluster client retries until its attempts are used up (slowest answers 4.6 s to 5.0 s,
 * timed out in two runs); that leaves "back within 10 s" with little margin (5.2 s to 8.4 s, the promotion after
 * 3.5 s to 4.4 s), so it is checked with the bound, not in every run;</li>
 * <li>no 404 for existing data during the shard's failover: while the shard is unreachable a node's breaker may open
 * and sessions are then served from its node-local fallback store, which does not hold the sessions in Redis (0 to 2
 * session reads and updates).</li>
 * </ul>
 */
class ClusterTopologyIT extends TopologySuite<ShardedCluster> {

    @Override
    ShardedCluster startRedis(Path dir) {
        return ShardedCluster.start(3);
    }

    @Test
    @Order(1)
    void clusterMasterKill9() throws Exception {
        String tenant = "cluster-master-kill";
        String slotKey = Verifier.metaKey(tenant, "q0");
        ScenarioResult r = scenario(tenant, false, () -> {
            RedisServer old = redis.masterOf(slotKey);
            long t0 = System.nanoTime();
            old.stop(); // SIGKILL
            RedisServer now = redis.awaitPromotion(old, slotKey, 30_000);
            double promoted = seconds(t0);
            old.start(); // rejoins with its nodes.conf, as a replica of the master that replaced it
            return String.format(Locale.ROOT, "`kill -9` of master :%d (the slot of queue q0); its replica :%d "
                    + "serves the slot, cluster ok, after %.1f s; the killed server started again at once",
                    old.port(), now.port(), promoted);
        });
        Expectations.clusterMasterKilled(r);
    }

    @Test
    @Order(2)
    void nodeKill9() throws Exception {
        Expectations.nodeFault(scenario("cluster-node-kill", true, this::killNode));
    }

    @Test
    @Order(10)
    @EnabledIfSystemProperty(named = "topology.expect-fixed", matches = "true")
    void expectFixedClusterMasterKillReadinessWithinItsBound() {
        Expectations.readinessWithinItsBound(result("cluster-master-kill"));
    }

    @Test
    @Order(11)
    @EnabledIfSystemProperty(named = "topology.expect-fixed", matches = "true")
    void expectFixedClusterMasterKillAnswersNo404ForExistingData() {
        Expectations.noNotFoundForExistingData(result("cluster-master-kill"));
    }
}
