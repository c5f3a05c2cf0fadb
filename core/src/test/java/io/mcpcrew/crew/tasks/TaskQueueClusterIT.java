package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The TaskQueue contract on a three-master Redis Cluster: every script's keys share the queue's hash tag (a
 * CROSSSLOT error would fail these tests), and the registry key lives in its own slot.
 */
@ExtendWith(RedisServerExtension.class)
class TaskQueueClusterIT extends TaskFlowContract {
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
}
