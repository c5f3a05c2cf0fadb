package io.mcpcrew.crew.metrics;

import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The metrics contract on a three-master Redis Cluster: INFO of every node, and the reads pipelined per node (the
 * stats scripts of queues in every slot, the stream and session reads) in a bounded number of round trips.
 */
@ExtendWith(RedisServerExtension.class)
class MetricsClusterIT extends MetricsContract {
    private RedisCluster cluster;

    @BeforeEach
    void cluster(RedisCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    Map<String, String> connection() {
        return cluster.managerConfig();
    }

    @Override
    void flush() {
        cluster.flushAll();
    }

    @Override
    void configSet(String parameter, String value) {
        for (RedisServer node : cluster.nodes()) {
            node.command("CONFIG", "SET", parameter, value);
        }
    }
}
