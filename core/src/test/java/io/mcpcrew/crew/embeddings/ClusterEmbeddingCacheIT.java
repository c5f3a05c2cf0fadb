package io.mcpcrew.crew.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on a three-master Redis Cluster: one model's vectors spread over the slots; batches are pipelines. */
@ExtendWith(RedisServerExtension.class)
class ClusterEmbeddingCacheIT extends EmbeddingCacheContract {
    private RedisCluster cluster;

    @BeforeEach
    void setUp(RedisCluster cluster) {
        this.cluster = cluster;
        cluster.flushAll();
    }

    @Override
    RedisEmbeddingCache cache() {
        return cacheOn(new JedisRedisManager(RedisCrewConfig.load(Map.of("redis.crew.mode", "cluster",
                "redis.crew.nodes", cluster.nodesSpec(), "redis.crew.timeout", "2s",
                "redis.crew.embeddings.sliding-ttl", "true")), null));
    }

    @Test
    void aModelSpreadsOverEveryMasterAndClearReachesThemAll() {
        ModelEmbeddingCache c = cache().forTenant("t1").model("m");
        Map<String, float[]> batch = batch(300, 4);
        c.batchStore(batch);
        int total = 0;
        for (RedisServer node : cluster.nodes()) {
            List<String> keys = node.scanKeys("crew:t1:embeddings:m:*");
            assertTrue(keys.size() > 10, "every master holds some of the model's vectors: " + keys.size());
            for (String k : keys) {
                assertTrue(node.ttl(k) > 0, k);
            }
            total += keys.size();
        }
        assertEquals(301, total, "300 vectors and the dimension key");
        assertEquals(300, c.batchRetrieve(new ArrayList<>(batch.keySet())).stream().filter(o -> o.isPresent()).count());
        assertEquals(300, c.clear());
        for (RedisServer node : cluster.nodes()) {
            assertEquals(List.of(), node.scanKeys("crew:t1:embeddings:*"));
        }
    }
}
