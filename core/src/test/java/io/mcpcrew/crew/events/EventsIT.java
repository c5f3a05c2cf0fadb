package io.mcpcrew.crew.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.FallbackBufferFullException;
import io.mcpcrew.crew.redis.InvalidInputException;
import io.mcpcrew.crew.redis.InvalidNameException;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisCluster;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** EventManager against a real, private redis-server (and one test against a three-master Redis Cluster). */
@ExtendWith(RedisServerExtension.class)
class EventsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private RedisServer server;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.ensureRunningAndEmpty();
    }

    @AfterEach
    void tearDown() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
    }

    /** A manager on the test server with short timings; {@code extra} adds or overrides keys. */
    private RedisEventManager events(String... extra) {
        Map<String, String> cfg = new HashMap<>(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port())));
        return events(cfg, extra);
    }

    private RedisEventManager events(Map<String, String> cfg, String... extra) {
        cfg.put("redis.crew.breaker.open-duration", "200ms");
        cfg.put("redis.crew.breaker.probe-interval", "50ms");
        cfg.put("redis.crew.timeout", "1s");
        cfg.put("redis.crew.events.block", "200ms");
        cfg.put("redis.crew.events.retry-backoff", "20ms");
        cfg.put("redis.crew.events.retry-backoff-max", "100ms");
        cfg.put("redis.crew.events.claim-timeout", "30s");
        cfg.put("redis.crew.events.max-deliveries", "3");
        for (int i = 0; i < extra.length; i += 2) {
            cfg.put(extra[i], extra[i + 1]);
        }
        JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(cfg), null);
        toClose.add(redis);
        RedisEventManager events = new RedisEventManager(redis);
        toClose.add(events);
        return events;
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static List<Event> numbered(int from, int to) {
        List<Event> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Event.of(EventType.TASK, Map.of("n", i)));
        }
        return out;
    }

    private static int n(Event e) {
        return ((Number) ((Map<?, ?>) e.data()).get("n")).intValue();
    }

    @Test
    void everyBroadcastSubscriberReceivesEveryEventInOrder() {
        TenantEvents t = events().forTenant("t1");
        List<List<Event>> received = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<Event> mine = new CopyOnWriteArrayList<>();
            received.add(mine);
            t.subscribe("news", mine::add);
        }
        List<String> ids = new ArrayList<>();
        for (Event e : numbered(0, 50)) {
            ids.add(t.publish(e, "news"));
        }
        for (List<Event> mine : received) {
            await("50 events for every subscriber", () -> mine.size() >= 50);
            assertEquals(50, mine.size());
            for (int i = 0; i < 50; i++) {
                assertEquals(ids.get(i), mine.get(i).id());
                assertEquals(i, n(mine.get(i)));
                assertEquals("t1", mine.get(i).tenant());
            }
        }
    }

    @Test
    void aGroupOfThreeConsumersReceivesEachOfTenThousandEventsExactlyOnce() {
        TenantEvents t = events("redis.crew.events.batch-size", "200").forTenant("t1");
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perConsumer = new ConcurrentHashMap<>();
        AtomicInteger total = new AtomicInteger();
        for (int c = 0; c < 3; c++) {
            String name = "c" + c;
            t.subscribe("work", "workers", e -> {
                deliveries.computeIfAbsent(e.id(), k -> new AtomicInteger()).incrementAndGet();
                perConsumer.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                total.incrementAndGet();
            });
        }
        Set<String> published = new HashSet<>();
        for (int b = 0; b < 20; b++) {
            published.addAll(t.publishAll(numbered(b * 500, b * 500 + 500), "work"));
        }
        assertEquals(10_000, published.size());
        await("10,000 deliveries acknowledged", () -> total.get() >= 10_000
                && t.info("work").get().groups().get(0).pending() == 0);
        StreamInfo.GroupInfo g = t.info("work").get().groups().get(0);
        assertEquals(0, g.pending());
        assertEquals(0L, g.lag());
        assertEquals(10_000, total.get(), "deliveries per consumer: " + perConsumer);
        assertEquals(published, deliveries.keySet());
        assertTrue(deliveries.values().stream().allMatch(n -> n.get() == 1), "an event was delivered twice");
    }

    @Test
    void entriesLeftPendingByADeadConsumerAreReclaimedByAnother() {
        RedisEventManager events = events("redis.crew.events.claim-timeout", "300ms");
        TenantEvents t = events.forTenant("t1");
        t.createGroup("jobs", "g", "$");
        List<String> ids = t.publishAll(numbered(0, 5), "jobs");
        // a consumer on another node reads five entries and dies before acknowledging them
        String key = "crew:t1:events:{t1.jobs}";
        String read = server.command("XREADGROUP", "GROUP", "g", "dead-node-1", "COUNT", "5", "STREAMS", key, ">");
        for (String id : ids) {
            assertTrue(read.contains(id), read);
        }
        List<String> got = new CopyOnWriteArrayList<>();
        Subscription s = t.subscribe("jobs", "g", e -> got.add(e.id()));
        await("the five abandoned entries", () -> got.size() >= 5);
        assertEquals(ids, got);
        await("nothing pending", () -> t.info("jobs").get().groups().get(0).pending() == 0);
        assertTrue(s.consumer().startsWith(events.settings().nodeId()), s.consumer());
    }

    @Test
    void aPoisonEventEndsInTheDeadLetterStreamAfterMaxDeliveriesWithItsError() {
        TenantEvents t = events().forTenant("t1");
        AtomicInteger poisonAttempts = new AtomicInteger();
        List<Integer> handled = new CopyOnWriteArrayList<>();
        t.subscribe("orders", "billing", e -> {
            if (n(e) == 2) {
                poisonAttempts.incrementAndGet();
                throw new IllegalStateException("cannot bill order 2");
            }
            handled.add(n(e));
        });
        List<String> ids = t.publishAll(numbered(0, 5), "orders");
        await("one dead letter", () -> t.info("orders").map(StreamInfo::deadLetters).orElse(0L) == 1);
        await("nothing pending", () -> t.info("orders").get().groups().get(0).pending() == 0);
        assertEquals(3, poisonAttempts.get());
        assertEquals(List.of(0, 1, 3, 4), handled);
        List<DeadLetter> dead = t.deadLetters("orders", null, 10);
        assertEquals(1, dead.size());
        DeadLetter d = dead.get(0);
        assertEquals(ids.get(2), d.originalId());
        assertEquals(3, d.deliveries());
        assertEquals("billing", d.group());
        assertTrue(d.error().contains("IllegalStateException: cannot bill order 2"), d.error());
        assertEquals(2, n(d.event()));
        assertEquals(EventType.TASK, d.event().type());
        long ttl = server.ttl("crew:t1:events:{t1.orders}:dead");
        assertTrue(ttl > 6 * 24 * 3600 && ttl <= 7 * 24 * 3600, "dead-letter TTL " + ttl);
        assertEquals(-1, server.ttl("crew:t1:events:{t1.orders}"), "a stream is persistent (trimmed, not expired)");
    }

    @Test
    void streamsAreTrimmedByLengthAndByAge() {
        TenantEvents t = events("redis.crew.events.stream.short.max-len", "100",
                "redis.crew.events.stream.recent.max-age", "1s").forTenant("t1");
        List<String> ids = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            ids.addAll(t.publishAll(numbered(b * 100, b * 100 + 100), "short"));
        }
        long len = t.info("short").get().length();
        assertTrue(len >= 100 && len < 1000, "MAXLEN ~ 100 kept " + len);
        assertEquals(ids.get(999), t.info("short").get().lastId());

        Instant before = Instant.now();
        t.publishAll(numbered(0, 10), "recent");
        assertEquals(10, t.info("recent").get().length());
        await("1.1 s to pass", () -> Instant.now().isAfter(before.plusMillis(1100)));
        String last = t.publish(Event.of(EventType.TASK, Map.of("n", 10)), "recent");
        await("the old events trimmed", () -> t.info("recent").get().length() == 1);
        assertEquals(last, t.info("recent").get().firstId());
        assertEquals(0, t.trim("recent"));
    }

    @Test
    void eventsReplayFromAnIdOrATimeAndASubscriberResumesAfterAnId() {
        TenantEvents t = events().forTenant("t1");
        List<String> ids = new ArrayList<>();
        for (Event e : numbered(0, 20)) {
            ids.add(t.publish(e, "log"));
        }
        List<Event> page = t.replay("log", ids.get(9), 5);
        assertEquals(ids.subList(10, 15), page.stream().map(Event::id).toList());
        assertEquals(20, t.replay("log", null, 100).size());
        assertEquals(20, t.replay("log", "0", 100).size());
        assertEquals(List.of(), t.replay("log", ids.get(19), 100));

        long ms10 = Long.parseLong(ids.get(10).substring(0, ids.get(10).indexOf('-')));
        List<Event> since = t.replaySince("log", Instant.ofEpochMilli(ms10), 100);
        assertTrue(since.stream().map(Event::id).toList().contains(ids.get(10)));
        assertEquals(ids.get(19), since.get(since.size() - 1).id());
        assertTrue(since.stream().allMatch(e -> Long.parseLong(e.id().substring(0, e.id().indexOf('-'))) >= ms10));

        List<Event> resumed = new CopyOnWriteArrayList<>();
        t.subscribeAfter("log", ids.get(14), resumed::add);
        t.publish(Event.of(EventType.TASK, Map.of("n", 20)), "log");
        await("events 15..20", () -> resumed.size() >= 6);
        assertEquals(List.of(15, 16, 17, 18, 19, 20), resumed.stream().map(EventsIT::n).toList());
    }

    @Test
    void eventsPublishedWhileRedisIsDownAreBufferedAndDeliveredInOrderAfterItReturns() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        List<Event> broadcast = new CopyOnWriteArrayList<>();
        List<Event> grouped = new CopyOnWriteArrayList<>();
        t.subscribe("alerts", broadcast::add);
        t.subscribe("alerts", "pager", grouped::add);
        server.stop();
        for (Event e : numbered(0, 5)) {
            assertEquals(TenantEvents.BUFFERED, t.publish(e, "alerts"));
        }
        assertEquals(List.of(TenantEvents.BUFFERED, TenantEvents.BUFFERED), t.publishAll(numbered(5, 7), "alerts"));
        assertEquals(7, events.bufferedEvents());
        assertTrue(broadcast.isEmpty());
        server.start();
        await("the buffer written", () -> events.bufferedEvents() == 0);
        await("7 broadcast events", () -> broadcast.size() >= 7);
        await("7 group events", () -> grouped.size() >= 7);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), broadcast.stream().map(EventsIT::n).toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), grouped.stream().map(EventsIT::n).toList());
        assertEquals(7, t.info("alerts").get().length());
    }

    @Test
    void aGroupSubscribedWhileRedisIsDownReceivesTheEventsPublishedSince() {
        TenantEvents t = events().forTenant("t1");
        server.stop();
        List<Integer> got = new CopyOnWriteArrayList<>();
        try {
            t.subscribe("late", "g", e -> got.add(n(e)));
            t.publishAll(numbered(0, 3), "late");
        } finally {
            server.start();
        }
        await("3 group events", () -> got.size() >= 3);
        assertEquals(List.of(0, 1, 2), got);
    }

    @Test
    void aFullBufferRefusesTheEventInsteadOfDroppingIt() {
        RedisEventManager events = events("redis.crew.events.buffer.capacity", "3");
        TenantEvents t = events.forTenant("t1");
        server.stop();
        try {
            t.publishAll(numbered(0, 2), "alerts");
            assertThrows(FallbackBufferFullException.class, () -> t.publishAll(numbered(2, 4), "alerts"));
            assertEquals(2, events.bufferedEvents(), "nothing of a refused batch is accepted");
            assertEquals(TenantEvents.BUFFERED, t.publish(Event.of(EventType.TASK, Map.of("n", 2)), "alerts"));
            FallbackBufferFullException e = assertThrows(FallbackBufferFullException.class,
                    () -> t.publish(Event.of(EventType.TASK, Map.of("n", 3)), "alerts"));
            assertTrue(e.isRetryable());
        } finally {
            server.start();
        }
        await("the buffer written", () -> events.bufferedEvents() == 0);
        assertEquals(List.of(0, 1, 2), t.replay("alerts", null, 10).stream().map(EventsIT::n).toList());
    }

    /** A POJO payload, for the round trip. */
    public static class Order {
        public String sku;
        public int quantity;
    }

    @Test
    void metadataAndDataSurviveTheRoundTripAndForeignEntriesDecode() {
        TenantEvents t = events().forTenant("t1");
        Order o = new Order();
        o.sku = "A-1";
        o.quantity = 3;
        Instant ts = Instant.parse("2026-01-02T03:04:05.678Z");
        String id = t.publish(Event.builder(EventType.of("order.created")).data(o).priority(EventPriority.HIGH)
                .source("shop").correlationId("req-42").timestamp(ts).build(), "shop");
        Event e = t.replay("shop", null, 1).get(0);
        assertEquals(id, e.id());
        assertEquals("order.created", e.type().name());
        assertEquals(EventPriority.HIGH, e.priority());
        assertEquals("shop", e.source());
        assertEquals("req-42", e.correlationId());
        assertEquals(ts, e.timestamp());
        assertEquals("t1", e.tenant());
        assertEquals("A-1", e.data(Order.class).sku);
        assertEquals(3, e.data(Order.class).quantity);

        // written by another service (redis-py XADD): unknown type and priority are kept, missing fields defaulted
        String key = "crew:t1:events:{t1.shop}";
        String foreign = server.command("XADD", key, "*", "type", "Agent Started!", "priority", "urgent",
                "data", "{\"agent\":\"a7\"}").trim();
        Event f = t.replay("shop", id, 1).get(0);
        assertEquals(foreign, f.id());
        assertEquals("Agent Started!", f.type().name());
        assertEquals("urgent", f.priority().name());
        assertEquals(Map.of("agent", "a7"), f.data());
        assertEquals(Long.parseLong(foreign.substring(0, foreign.indexOf('-'))), f.timestamp().toEpochMilli());
        String raw = server.command("XRANGE", key, id, id);
        assertTrue(raw.contains("correlation_id\nreq-42"), raw);
        assertTrue(raw.contains("data\n{\"quantity\":3,\"sku\":\"A-1\"}"), raw);
    }

    @Test
    void badInputIsRefusedWithMessagesNamingTheValue() {
        TenantEvents t = events().forTenant("t1");
        Event ok = Event.of(EventType.SYSTEM, null);
        InvalidNameException bad = assertThrows(InvalidNameException.class, () -> t.publish(ok, "no:colons"));
        assertTrue(bad.getMessage().contains("\"no:colons\""), bad.getMessage());
        assertThrows(InvalidNameException.class, () -> t.subscribe("s", "bad group", e -> { }));
        InvalidInputException id = assertThrows(InvalidInputException.class, () -> t.replay("s", "abc", 10));
        assertTrue(id.getMessage().contains("\"abc\""), id.getMessage());
        assertThrows(InvalidInputException.class, () -> t.replay("s", null, 0));
        InvalidInputException foreign = assertThrows(InvalidInputException.class,
                () -> t.publish(Event.builder(EventType.SYSTEM).tenant("t2").build(), "s"));
        assertTrue(foreign.getMessage().contains("\"t2\""), foreign.getMessage());
        assertThrows(InvalidNameException.class, () -> events().forTenant("bad tenant"));
        assertFalse(t.info("never-written").isPresent());
    }

    @Test
    void closeStopsEverySubscriptionAndItsThreads() throws Exception {
        Map<String, String> cfg = new HashMap<>(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.events.block", "200ms"));
        JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(cfg), null);
        toClose.add(redis);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        RedisEventManager events = new RedisEventManager(redis, r -> {
            Thread th = new Thread(r);
            threads.add(th);
            return th;
        });
        TenantEvents t = events.forTenant("t1");
        Subscription a = t.subscribe("x", e -> { });
        Subscription b = t.subscribe("x", "g", e -> { });
        assertEquals(2, threads.size());
        assertTrue(a.isActive() && b.isActive());
        assertTrue(events.alive(), events.detail());
        assertEquals("1 broadcast reader(s), 1 group consumer(s), 0 buffered event(s)", events.detail());
        events.close();
        assertFalse(a.isActive() || b.isActive());
        for (Thread th : threads) {
            assertFalse(th.isAlive(), th + " still running after close()");
        }
        assertThrows(IllegalStateException.class, () -> t.subscribe("x", e -> { }));
    }

    @Test
    void livenessTurnsFalseWhenAReaderThreadIsGone() {
        Map<String, String> cfg = new HashMap<>(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port())));
        JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(cfg), null);
        toClose.add(redis);
        RedisEventManager events = new RedisEventManager(redis, r -> new Thread(() -> { })); // threads that do nothing
        toClose.add(events);
        assertTrue(events.alive());
        Subscription s = events.forTenant("t1").subscribe("x", "g", e -> { });
        await("the dead reader noticed", () -> !events.alive());
        s.close();
        assertTrue(events.alive(), "a closed subscription no longer counts");
    }

    @Test
    void worksOnRedisCluster(RedisCluster cluster) {
        cluster.flushAll();
        Map<String, String> cfg = new HashMap<>(Map.of("redis.crew.mode", "cluster", "redis.crew.nodes",
                cluster.nodesSpec()));
        RedisEventManager events = events(cfg);
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
            List<String> ids = t.publishAll(numbered(0, 3), "orders");
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
