package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskOptions;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Durable writes on Redis Cluster: the write and its {@code WAIT} go to a connection of the node serving the write's
 * slot. The harness' three masters have no replica, so with {@code durability.replicas=1} every promised write is
 * applied by its node and then not confirmed; the barrier of a write with an idempotency key lands in the same slot
 * (another slot would answer MOVED), and a node that lost its scripts gets them loaded again.
 */
@ExtendWith(RedisServerExtension.class)
class DurabilityClusterIT {

    private static JedisRedisManager manager(RedisCluster cluster, int replicas) {
        Map<String, String> c = new HashMap<>(cluster.managerConfig());
        c.put("redis.crew.durability.replicas", String.valueOf(replicas));
        c.put("redis.crew.durability.timeout", "100ms");
        return new JedisRedisManager(RedisCrewConfig.load(c), null);
    }

    @Test
    void promisedWritesGoToTheSlotOwnerAndAreNotConfirmedWithoutReplicas(RedisCluster cluster) {
        cluster.flushAll();
        try (JedisRedisManager redis = manager(cluster, 1)) {
            for (String tenant : new String[] {"t1", "t2", "t3", "acme"}) {
                TaskQueue q = new RedisTaskQueues(redis).forTenant(tenant).queue("q");
                NotReplicatedException plain = assertThrows(NotReplicatedException.class,
                        () -> q.enqueue("send", "{}", TaskPriority.NORMAL));
                assertEquals(0, plain.acknowledged());
                String id = plain.getMessage().substring("task ".length(), "task ".length() + 32);
                String key = "crew:" + tenant + ":tasks:{" + tenant + ".q}:task:" + id;
                assertEquals(1, cluster.nodes().stream().filter(n -> n.command("EXISTS", key).equals(":1")).count(),
                        "the node of the slot has the task");
                assertThrows(NotReplicatedException.class, () -> q.enqueue("send", "{}", TaskPriority.NORMAL,
                        TaskOptions.defaults().withIdempotencyKey("k")));
                assertThrows(NotReplicatedException.class, () -> new RedisEventManager(redis).forTenant(tenant)
                        .publish(Event.builder(EventType.of("x")).build(), "orders"));
            }
            cluster.nodes().forEach(n -> n.command("SCRIPT", "FLUSH"));
            TaskQueue q = new RedisTaskQueues(redis).forTenant("t1").queue("q");
            assertThrows(NotReplicatedException.class, () -> q.enqueue("send", "{}", TaskPriority.NORMAL));
        }
        try (JedisRedisManager redis = manager(cluster, 0)) {
            String id = new RedisTaskQueues(redis).forTenant("t1").queue("q").enqueue("send", "{}", TaskPriority.NORMAL);
            assertTrue(new RedisTaskQueues(redis).forTenant("t1").queue("q").get(id).isPresent(), "off: plain enqueue");
        }
    }
}
