package io.mcpcrew.crew.listing;

import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The listing contract on a three-master Redis Cluster: each page script runs in its queue's slot, registries live
 * in their own slots, and the entry counts and memory estimate walk every master.
 */
@ExtendWith(RedisServerExtension.class)
class ListingClusterIT extends ListingContract {
    private RedisCluster cluster;

    @BeforeEach
    void cluster(RedisCluster cluster) {
        this.cluster = cluster;
        open();
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
    int masters() {
        return 3;
    }
}
