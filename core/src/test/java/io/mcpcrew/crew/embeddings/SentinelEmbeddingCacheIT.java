package io.mcpcrew.crew.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract on a master found through Sentinel (a private master watched by one Sentinel, for the whole class):
 * the vectors live on the master the Sentinel names, and a batch is one MGET there, as on a standalone server.
 */
@ExtendWith(RedisServerExtension.class)
class SentinelEmbeddingCacheIT extends EmbeddingCacheContract {
    private static RedisSentinel sentinel;

    @BeforeAll
    static void setUpSentinel(RedisSentinel started) {
        sentinel = started;
    }

    @BeforeEach
    void emptyMaster() {
        sentinel.master().ensureRunningAndEmpty();
    }

    @Override
    RedisEmbeddingCache cache() {
        Map<String, String> config = new HashMap<>(sentinel.managerConfig());
        config.put("redis.crew.timeout", "2s");
        return cacheOn(new JedisRedisManager(RedisCrewConfig.load(config), null));
    }

    @Test
    void vectorsLiveOnTheMasterAndABatchIsOneMget() {
        ModelEmbeddingCache c = cache().forTenant("t1").model("m");
        Map<String, float[]> batch = batch(25, 4);
        c.batchStore(batch);
        List<String> keys = sentinel.master().scanKeys("crew:t1:embeddings:m:*");
        assertEquals(26, keys.size(), "25 vectors and the dimension key: " + keys);
        for (String k : keys) {
            assertTrue(sentinel.master().ttl(k) > 0, k);
        }
        assertEquals("4", sentinel.master().command("GET", "crew:t1:embeddings:m:dim"));
        sentinel.master().command("CONFIG", "RESETSTAT");
        assertEquals(25, c.batchRetrieve(new ArrayList<>(batch.keySet())).stream().filter(o -> o.isPresent()).count());
        assertEquals(1, commandCalls(sentinel.master(), "mget"), "one MGET for the whole batch");
        assertEquals(0, commandCalls(sentinel.master(), "get"));
    }
}
