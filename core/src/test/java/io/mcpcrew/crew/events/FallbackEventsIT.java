package io.mcpcrew.crew.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.resilience.FallbackBufferFullException;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The events contract on the fallback: every publish of a contract test happens while Redis cannot be reached, is
 * accepted into the local buffer ({@link TenantEvents#BUFFERED}) and is written back, once, when Redis returns; the
 * test then checks on Redis what it checks on every backend. The outage is a cut of the {@link OutageProxy} between
 * the managers and the redis-server (connections lost, new ones refused), so Redis keeps its data through it. Plus
 * what only the fallback shows: reads while events wait, a full buffer, a group subscribed during the outage, a
 * Redis that returns empty, the fallback disabled.
 */
@ExtendWith(RedisServerExtension.class)
class FallbackEventsIT extends EventsContract {
    private static RedisServer server;
    private static OutageProxy proxy;

    @BeforeAll
    static void startProxy(RedisServer redis) {
        server = redis;
        proxy = OutageProxy.start(server.host(), server.port());
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void setUp() {
        proxy.restore();
        server.ensureRunningAndEmpty();
    }

    @Override
    Map<String, String> topology() {
        return Map.of("redis.crew.host", proxy.host(), "redis.crew.port", String.valueOf(proxy.port()),
                "redis.crew.events.buffer.capacity", "20000");
    }

    @Override
    void publishing(RedisEventManager events, Runnable publishes) {
        proxy.cut();
        try {
            publishes.run();
        } finally {
            proxy.restore();
        }
        await("the buffered events written to Redis", () -> events.bufferedEvents() == 0);
    }

    @Override
    void assertPublished(List<String> stored, List<String> returned) {
        assertEquals(Collections.nCopies(stored.size(), TenantEvents.BUFFERED), returned);
    }

    /** Redis down: unreachable, and its process gone. */
    private static void stopRedis() {
        proxy.cut();
        server.stop();
    }

    /** Redis back without its data, as a Redis without persistence returns after a crash. */
    private static void startRedisEmpty() {
        server.start();
        proxy.restore();
    }

    @Test
    void eventsPublishedWhileRedisIsDownAreBufferedAndDeliveredInOrderAfterItReturns() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        List<Event> broadcast = new CopyOnWriteArrayList<>();
        List<Event> grouped = new CopyOnWriteArrayList<>();
        t.subscribe("alerts", broadcast::add);
        t.subscribe("alerts", "pager", grouped::add);
        stopRedis();
        for (Event e : numbered(0, 5)) {
            assertEquals(TenantEvents.BUFFERED, t.publish(e, "alerts"));
        }
        assertEquals(List.of(TenantEvents.BUFFERED, TenantEvents.BUFFERED), t.publishAll(numbered(5, 7), "alerts"));
        assertEquals(7, events.bufferedEvents());
        assertTrue(broadcast.isEmpty());
        startRedisEmpty(); // the group is gone with the stream: re-created from the start of the new stream
        await("the buffer written", () -> events.bufferedEvents() == 0);
        await("7 broadcast events", () -> broadcast.size() >= 7);
        await("7 group events", () -> grouped.size() >= 7);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), broadcast.stream().map(EventsContract::n).toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), grouped.stream().map(EventsContract::n).toList());
        assertEquals(7, t.info("alerts").get().length());
    }

    @Test
    void aGroupSubscribedWhileRedisIsDownReceivesTheEventsPublishedSince() {
        TenantEvents t = events().forTenant("t1");
        stopRedis();
        List<Integer> got = new CopyOnWriteArrayList<>();
        try {
            t.subscribe("late", "g", e -> got.add(n(e)));
            t.publishAll(numbered(0, 3), "late");
        } finally {
            startRedisEmpty();
        }
        await("3 group events", () -> got.size() >= 3);
        assertEquals(List.of(0, 1, 2), got);
    }

    @Test
    void aFullBufferRefusesTheEventInsteadOfDroppingIt() {
        RedisEventManager events = events("redis.crew.events.buffer.capacity", "3");
        TenantEvents t = events.forTenant("t1");
        stopRedis();
        try {
            t.publishAll(numbered(0, 2), "alerts");
            assertThrows(FallbackBufferFullException.class, () -> t.publishAll(numbered(2, 4), "alerts"));
            assertEquals(2, events.bufferedEvents(), "nothing of a refused batch is accepted");
            assertEquals(TenantEvents.BUFFERED, t.publish(Event.of(EventType.TASK, Map.of("n", 2)), "alerts"));
            FallbackBufferFullException e = assertThrows(FallbackBufferFullException.class,
                    () -> t.publish(Event.of(EventType.TASK, Map.of("n", 3)), "alerts"));
            assertTrue(e.isRetryable());
        } finally {
            startRedisEmpty();
        }
        await("the buffer written", () -> events.bufferedEvents() == 0);
        assertEquals(List.of(0, 1, 2), t.replay("alerts", null, 10).stream().map(EventsContract::n).toList());
    }

    @Test
    void readsOfAStreamWhoseEventsStillWaitAreUnavailableNotIncomplete() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        String first = t.publish(Event.of(EventType.TASK, Map.of("n", 0)), "s");
        proxy.cut(); // Redis keeps the first event
        try {
            assertEquals(TenantEvents.BUFFERED, t.publish(Event.of(EventType.TASK, Map.of("n", 1)), "s"));
            RedisUnavailableException waiting = assertThrows(RedisUnavailableException.class,
                    () -> t.replay("s", null, 10));
            assertTrue(waiting.getMessage().contains("\"s\"") && waiting.getMessage().contains("still being written"),
                    waiting.getMessage());
            assertTrue(waiting.isRetryable());
            assertThrows(RedisUnavailableException.class, () -> t.replay("s", first, 10));
            assertThrows(RedisUnavailableException.class, () -> t.replaySince("s", Instant.EPOCH, 10));
            assertThrows(RedisUnavailableException.class, () -> t.info("s"));
            // nothing of these waits: they fail only because Redis does not answer
            RedisUnavailableException down = assertThrows(RedisUnavailableException.class,
                    () -> t.replay("other", null, 10));
            assertFalse(down.getMessage().contains("still being written"), down.getMessage());
            assertThrows(RedisUnavailableException.class, () -> t.deadLetters("s", null, 10));
            assertThrows(RedisUnavailableException.class, () -> events.forTenant("t2").info("s"));
            assertEquals(1, events.bufferedEvents());
        } finally {
            proxy.restore();
        }
        await("a read that writes the waiting event first", () -> {
            try {
                return t.replay("s", null, 10).size() == 2;
            } catch (RedisUnavailableException notYet) {
                return false;
            }
        });
        assertEquals(0, events.bufferedEvents());
        assertEquals(List.of(0, 1), t.replay("s", null, 10).stream().map(EventsContract::n).toList());
        assertEquals(first, t.replay("s", null, 10).get(0).id());
        assertEquals(2, t.info("s").orElseThrow().length());
    }

    @Test
    void withTheFallbackDisabledAPublishWhileRedisIsDownIsRefused() {
        RedisEventManager events = events("redis.crew.fallback.enabled", "false");
        TenantEvents t = events.forTenant("t1");
        proxy.cut();
        try {
            assertThrows(RedisUnavailableException.class, () -> t.publish(Event.of(EventType.TASK, Map.of("n", 0)), "s"));
            assertThrows(RedisUnavailableException.class, () -> t.publishAll(numbered(1, 3), "s"));
            assertEquals(0, events.bufferedEvents());
        } finally {
            proxy.restore();
        }
        boolean written = raw(j -> j.exists("crew:t1:events:{t1.s}"));
        assertFalse(written, "nothing was written");
    }
}
