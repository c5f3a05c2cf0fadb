package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.util.ArrayList;
import java.util.List;
import io.mcpcrew.crew.resilience.BreakerState;
import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServer;
import io.micrometer.core.instrument.Gauge;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * One breaker per Redis Cluster master, on a private three-master Cluster (no replicas,
 * {@code cluster-require-full-coverage no}) of which one master is killed: the calls for its slots fail fast once
 * its breaker opened, the calls for the other masters' slots are served throughout, and the dead master's slots are
 * served again once it is back.
 */
class ShardBreakersIT {
    private RedisCluster cluster;
    private JedisRedisManager redis;

    @BeforeEach
    void start() {
        cluster = RedisCluster.start(3);
        cluster.nodes().forEach(n -> n.command("CONFIG", "SET", "cluster-require-full-coverage", "no"));
        Map<String, String> c = new HashMap<>(cluster.managerConfig());
        c.put("redis.crew.timeout", "1s");
        c.put("redis.crew.breaker.failure-threshold", "3");
        c.put("redis.crew.breaker.open-duration", "2s");
        c.put("redis.crew.breaker.probe-interval", "200ms");
        redis = new JedisRedisManager(RedisCrewConfig.load(c), null);
    }

    @AfterEach
    void stop() {
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aDeadMasterFailsOnlyItsOwnSlotsAndIsServedAgainWhenBack() {
        Map<HostAndPort, String> keyOf = oneKeyPerMaster();
        assertEquals(3, keyOf.size(), "one key on each master: " + keyOf);
        keyOf.values().forEach(k -> redis.execute(j -> j.set(k, "v")));
        HostAndPort deadAddress = keyOf.keySet().iterator().next();
        String deadKey = keyOf.get(deadAddress);
        RedisServer dead = cluster.nodes().stream().filter(n -> n.port() == deadAddress.getPort()).findFirst()
                .orElseThrow();
        dead.stop();

        int refusedFast = 0;
        for (int i = 0; i < 40; i++) {
            RedisUnavailableException e = assertThrows(RedisUnavailableException.class,
                    () -> redis.execute(j -> j.get(deadKey)), "a key of the dead master");
            if (e.getCause() instanceof ShardUnavailableException) {
                refusedFast++;
                assertFalse(e.outcomeUnknown(), "refused before any I/O: nothing applied");
                assertTrue(e.getMessage().contains(deadAddress.toString()) && e.getMessage().contains("circuit breaker open"),
                        e.getMessage());
            }
            for (Map.Entry<HostAndPort, String> other : keyOf.entrySet()) {
                if (!other.getKey().equals(deadAddress)) {
                    assertEquals("v", redis.execute(j -> j.get(other.getValue())), "a key of " + other.getKey());
                }
            }
        }
        assertTrue(refusedFast >= 30, "after 3 failures the dead master's calls are refused at once: "
                + refusedFast + " of 40");
        for (int i = 0; i < 5; i++) { // INFO of every node, as the memory read and the metrics do
            Map<String, String> info = redis.serverInfo();
            assertEquals(2, info.size(), "the two masters that answer: " + info.keySet());
            assertFalse(info.containsKey(deadAddress.toString()));
        }
        assertEquals(BreakerState.State.CLOSED, redis.breakerState().state(), "the manager's own breaker stays closed");
        assertTrue(redis.isAvailable() && !redis.useFallback());
        PingResult ping = redis.ping();
        assertTrue(ping.reachable(), "two masters answer");
        assertTrue(ping.error().orElse("").contains(deadAddress.toString()), ping.error().orElse("no error"));
        Gauge down = redis.metrics().registry().find("crew.redis.cluster.masters.unavailable").gauge();
        assertNotNull(down, "the gauge of unavailable masters");
        assertEquals(1.0, down.value());

        dead.start(); // same port and nodes.conf: it comes back as the master of its slots (empty)
        long deadline = System.nanoTime() + 20_000_000_000L;
        String back = null;
        while (System.nanoTime() < deadline) {
            try {
                redis.execute(j -> j.set(deadKey, "again"));
                back = redis.execute(j -> j.get(deadKey));
                break;
            } catch (RedisUnavailableException e) {
                pause();
            }
        }
        assertEquals("again", back, "the master's slots are served once it is back");
        assertEquals(0.0, down.value(), "no master unavailable any more");
        assertTrue(redis.ping().error().isEmpty(), "every master answers");
    }

    @Test
    void aDeadMastersQueuesAndStreamsAreHeldLocallyWhileTheOthersGoToRedis() {
        TenantRedis acme = redis.forTenant("acme");
        Map<HostAndPort, String> nameOf = new LinkedHashMap<>();
        RedisClusterClient cc = (RedisClusterClient) redis.client();
        for (int i = 0; i < 200 && nameOf.size() < 3; i++) {
            String name = "q" + i;
            try (Connection c = cc.getConnectionFromSlot(JedisClusterCRC16.getSlot(acme.keys().hashTag(name)))) {
                nameOf.putIfAbsent(c.getHostAndPort(), name);
            }
        }
        assertEquals(3, nameOf.size(), "a queue and stream name on each master: " + nameOf);
        RedisTaskQueues queues = new RedisTaskQueues(redis);
        RedisEventManager events = new RedisEventManager(redis);
        try {
            Event event = Event.builder(EventType.of("x")).build();
            nameOf.values().forEach(n -> { // known queues and streams: their registrations are done
                queues.forTenant("acme").queue(n).enqueue("send", "{}", TaskPriority.NORMAL);
                events.forTenant("acme").publish(event, n);
            });
            HostAndPort deadAddress = nameOf.keySet().iterator().next();
            String deadName = nameOf.get(deadAddress);
            cluster.nodes().stream().filter(n -> n.port() == deadAddress.getPort()).findFirst().orElseThrow().stop();

            TaskQueue deadQueue = queues.forTenant("acme").queue(deadName);
            List<String> held = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                held.add(deadQueue.enqueue("send", "{\"i\":" + i + "}", TaskPriority.NORMAL));
                assertEquals(TenantEvents.BUFFERED, events.forTenant("acme").publish(event, deadName));
                for (Map.Entry<HostAndPort, String> other : nameOf.entrySet()) {
                    if (other.getKey().equals(deadAddress)) {
                        continue;
                    }
                    TaskQueue q = queues.forTenant("acme").queue(other.getValue());
                    String id = q.enqueue("send", "{}", TaskPriority.NORMAL);
                    assertTrue(q.get(id).isPresent(), "a task of " + other.getKey() + "'s queue is in Redis at once");
                    String eventId = events.forTenant("acme").publish(event, other.getValue());
                    assertFalse(TenantEvents.BUFFERED.equals(eventId), "an event of " + other.getKey() + "'s stream");
                }
            }
            assertEquals(10, queues.bufferedTasks(), "only the dead master's tasks are held here");
            assertEquals(10, events.bufferedEvents(), "only the dead master's events are held here");

            cluster.nodes().stream().filter(n -> n.port() == deadAddress.getPort()).findFirst().orElseThrow().start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            // one write-back round writes the tasks, then the events: wait for both
            while ((queues.bufferedTasks() > 0 || events.bufferedEvents() > 0) && System.nanoTime() < deadline) {
                pause();
            }
            assertEquals(0, queues.bufferedTasks(), "written back once the master is back");
            assertEquals(0, events.bufferedEvents(), "written back once the master is back");
            for (String id : held) {
                assertTrue(deadQueue.get(id).isPresent(), "task " + id + " written back");
            }
            assertEquals(10L, (long) acme.execute(j -> j.xlen(acme.keys().tagged("events", deadName))),
                    "the stream's ten held events written back (the master came back empty)");
        } finally {
            events.close();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A key served by each master, found through the client's slot map. */
    private Map<HostAndPort, String> oneKeyPerMaster() {
        RedisClusterClient cc = (RedisClusterClient) redis.client();
        Map<HostAndPort, String> out = new LinkedHashMap<>();
        for (int i = 0; i < 200 && out.size() < 3; i++) {
            String key = "{shard" + i + "}:k";
            try (Connection c = cc.getConnectionFromSlot(JedisClusterCRC16.getSlot(key))) {
                out.putIfAbsent(c.getHostAndPort(), key);
            }
        }
        return out;
    }
}
