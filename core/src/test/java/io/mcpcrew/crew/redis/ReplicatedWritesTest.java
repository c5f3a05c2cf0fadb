package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mcpcrew.crew.config.RedisCrewConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The barrier key of a replicated write lives in the write's hash slot, under the system namespace. */
class ReplicatedWritesTest {
    private final ReplicatedWrites writes = ReplicatedWrites.of(RedisCrewConfig.load(Map.of(
            "redis.crew.durability.replicas", "1", "redis.crew.key-prefix", "app")), null);

    @Test
    void theBarrierSharesTheSlotOfATaggedKeyAndOfAKeyWithoutTag() {
        for (String key : new String[] {"app:t1:tasks:{t1.q}:scheduled", "app:t1:events:{t1.orders}", "app:t1:plain:k"}) {
            String barrier = writes.barrierKey(key);
            assertEquals(JedisClusterCRC16.getSlot(key), JedisClusterCRC16.getSlot(barrier), key + " / " + barrier);
            assertEquals(true, barrier.startsWith("app:_sys:replicated:{"), barrier);
        }
        assertEquals("app:_sys:replicated:{t1.q}", writes.barrierKey("app:t1:tasks:{t1.q}:scheduled"));
        assertThrows(IllegalArgumentException.class, () -> writes.barrierKey("app:t1:{}:x"));
    }

    @Test
    void offWithNoReplicas() {
        assertNull(ReplicatedWrites.of(RedisCrewConfig.load(Map.of()), null));
    }
}
