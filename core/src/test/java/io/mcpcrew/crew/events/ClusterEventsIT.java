package io.mcpcrew.crew.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The events contract on a three-master Redis Cluster: a stream and its dead letters share the tenant's and stream's
 * hash tag, so {@code dead_letter.lua} and {@code publish_once.lua} never answer CROSSSLOT.
 */
@ExtendWith(RedisServerExtension.class)
class ClusterEventsIT extends EventsContract {
    private RedisCluster cluster;

    @BeforeEach
    void setUp(RedisCluster cluster) {
        this.cluster = cluster;
        cluster.flushAll();
    }

    @Override
    Map<String, String> topology() {
        return cluster.managerConfig();
    }

    @Test
    void tenantsOnDifferentSlotsEachGetBroadcastGroupDeliveryAndDeadLetters() {
        RedisEventManager events = events();
        for (String tenant : List.of("t1", "t2", "t3")) {
            TenantEvents t = events.forTenant(tenant);
            List<Event> broadcast = new CopyOnWriteArrayList<>();
            List<Integer> grouped = new CopyOnWriteArrayList<>();
            t.subscribe("orders", broadcast::add);
            t.subscribe("orders", "billing", e -> {
                if (n(e) == 1) {
                    throw new IllegalArgumentException("poison");
                }
                grouped.add(n(e));
            });
            List<String> ids = new java.util.ArrayList<>(t.publishAll(numbered(0, 3), "orders"));
            ids.add(t.publish(Event.of(EventType.TASK, Map.of("n", 3)), "orders"));
            await("4 broadcast events on " + tenant, () -> broadcast.size() >= 4);
            await("a dead letter on " + tenant, () -> t.info("orders").get().deadLetters() == 1);
            await("nothing pending on " + tenant, () -> t.info("orders").get().groups().get(0).pending() == 0);
            assertEquals(ids, broadcast.stream().map(Event::id).toList());
            assertEquals(List.of(0, 2, 3), grouped);
            assertEquals(ids.get(1), t.deadLetters("orders", null, 10).get(0).originalId());
            assertEquals(ids.subList(2, 4), t.replay("orders", ids.get(1), 10).stream().map(Event::id).toList());
            assertNotNull(t.info("orders").get().lastId());
        }
    }
}
