package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.RedisServer;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Three nodes on a Redis Cluster of three masters with one replica each, under the mixed load: {@code kill -9} of the
 * master that holds the first queue's slot (the other queues, streams and users are spread over all three), and
 * {@code kill -9} of a node. Asserted: {@link Expectations}. The report of every run is
 * {@code target/topology-report.md}.
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
            redis.failing(old);
            long t0 = System.nanoTime();
            old.stop(); // SIGKILL
            RedisServer now = redis.awaitPromotion(old, slotKey, 30_000);
            double promoted = seconds(t0);
            old.start(); // rejoins with its nodes.conf, as a replica of the master that replaced it
            return String.format(Locale.ROOT, "`kill -9` of master :%d (the slot of queue q0); its replica :%d "
                    + "serves the slot, cluster ok, after %.1f s; the killed server started again at once",
                    old.port(), now.port(), promoted);
        });
        redis.failing(null);
        Expectations.clusterMasterKilled(r);
    }

    @Test
    @Order(2)
    void nodeKill9() throws Exception {
        Expectations.nodeFault(scenario("cluster-node-kill", true, this::killNode));
    }
}
