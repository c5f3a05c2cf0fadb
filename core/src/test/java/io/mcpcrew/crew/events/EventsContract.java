package io.mcpcrew.crew.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.RedisCall;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.InvalidNameException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The behaviour every backend of {@link TenantEvents} must show: Redis standalone ({@link RedisEventsIT}), Redis
 * Cluster ({@link ClusterEventsIT}), Redis Sentinel ({@link SentinelEventsIT}) and the fallback
 * ({@link FallbackEventsIT}), where every publish of a test happens while Redis is down and the test goes on once
 * the buffered events are written back.
 */
abstract class EventsContract {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private JedisRedisManager raw;

    /**
     * The {@code redis.crew.*} keys that reach the backend under test (mode, nodes or host and port, ...). Each
     * subclass empties its backend before every test.
     */
    abstract Map<String, String> topology();

    /**
     * Runs a test's publishes. On Redis they run as they are; the fallback runs them while Redis is down and returns
     * once Redis is back and {@code events} has written them to it.
     */
    void publishing(RedisEventManager events, Runnable publishes) {
        publishes.run();
    }

    /** What publish returned for the events now stored with {@code stored} ids: those ids on Redis. */
    void assertPublished(List<String> stored, List<String> returned) {
        assertEquals(stored, returned);
    }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
        raw = null;
    }

    void closeLater(AutoCloseable c) {
        toClose.add(c);
    }

    /** A manager on the backend with short timings; {@code extra} adds or overrides keys. */
    RedisEventManager events(String... extra) {
        Map<String, String> cfg = new HashMap<>(topology());
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
        closeLater(redis);
        RedisEventManager events = new RedisEventManager(redis);
        closeLater(events);
        return events;
    }

    /** Runs a command on the backend directly (outside the manager under test), for what the API does not show. */
    <T> T raw(RedisCall<T> call) {
        if (raw == null) {
            Map<String, String> cfg = new HashMap<>(topology());
            cfg.put("redis.crew.fallback.enabled", "false");
            raw = new JedisRedisManager(RedisCrewConfig.load(cfg), null);
            closeLater(raw);
        }
        return raw.execute(call);
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

    static List<Event> numbered(int from, int to) {
        List<Event> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Event.of(EventType.TASK, Map.of("n", i)));
        }
        return out;
    }

    static int n(Event e) {
        return ((Number) ((Map<?, ?>) e.data()).get("n")).intValue();
    }

    /** The ids of every entry of the stream, oldest first. */
    static List<String> ids(TenantEvents t, String stream) {
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            List<Event> page = t.replay(stream, after, 10_000);
            page.forEach(e -> ids.add(e.id()));
            if (page.size() < 10_000) {
                return ids;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    @Test
    void everyBroadcastSubscriberReceivesEveryEventInOrder() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        List<List<Event>> received = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<Event> mine = new CopyOnWriteArrayList<>();
            received.add(mine);
            t.subscribe("news", mine::add);
        }
        List<String> returned = new ArrayList<>();
        publishing(events, () -> {
            for (Event e : numbered(0, 50)) {
                returned.add(t.publish(e, "news"));
            }
        });
        List<String> ids = ids(t, "news");
        assertEquals(50, ids.size());
        assertPublished(ids, returned);
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
    void publishAllAppendsInOrderAndAnEmptyBatchIsNothing() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        List<String> returned = new ArrayList<>();
        publishing(events, () -> {
            returned.addAll(t.publishAll(numbered(0, 5), "batch"));
            returned.add(t.publish(Event.of(EventType.TASK, Map.of("n", 5)), "batch"));
            assertEquals(List.of(), t.publishAll(List.of(), "batch"));
        });
        List<String> ids = ids(t, "batch");
        assertPublished(ids, returned);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), t.replay("batch", null, 10).stream().map(EventsContract::n).toList());
        assertEquals(6, t.info("batch").orElseThrow().length());
    }

    @Test
    void aGroupOfThreeConsumersReceivesEachOfTenThousandEventsExactlyOnce() {
        RedisEventManager events = events("redis.crew.events.batch-size", "200");
        TenantEvents t = events.forTenant("t1");
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
        List<String> returned = new ArrayList<>();
        publishing(events, () -> {
            for (int b = 0; b < 20; b++) {
                returned.addAll(t.publishAll(numbered(b * 500, b * 500 + 500), "work"));
            }
        });
        List<String> stored = ids(t, "work");
        assertPublished(stored, returned);
        Set<String> published = new HashSet<>(stored);
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
        List<String> returned = new ArrayList<>();
        publishing(events, () -> returned.addAll(t.publishAll(numbered(0, 5), "jobs")));
        List<String> ids = ids(t, "jobs");
        assertPublished(ids, returned);
        // a consumer on another node reads five entries and dies before acknowledging them
        String key = "crew:t1:events:{t1.jobs}";
        List<Map.Entry<String, List<StreamEntry>>> read = raw(j -> j.xreadGroup("g", "dead-node-1",
                XReadGroupParams.xReadGroupParams().count(5), Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
        List<String> readIds = read.get(0).getValue().stream().map(e -> e.getID().toString()).toList();
        for (String id : ids) {
            assertTrue(readIds.contains(id), readIds.toString());
        }
        List<String> got = new CopyOnWriteArrayList<>();
        Subscription s = t.subscribe("jobs", "g", e -> got.add(e.id()));
        await("the five abandoned entries", () -> got.size() >= 5);
        assertEquals(ids, got);
        await("nothing pending", () -> t.info("jobs").get().groups().get(0).pending() == 0);
        assertTrue(s.consumer().startsWith(events.settings().nodeId()), s.consumer());
    }

    @Test
    void aFailedEventIsRedeliveredAfterItsBackoffAndAcknowledgedOnceHandled() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
        List<Integer> handled = new CopyOnWriteArrayList<>();
        Subscription s = t.subscribe("flaky", "g", e -> {
            int attempt = attempts.computeIfAbsent(n(e), k -> new AtomicInteger()).incrementAndGet();
            if (n(e) == 1 && attempt < 3) {
                throw new IllegalStateException("not yet: attempt " + attempt);
            }
            handled.add(n(e));
        });
        publishing(events, () -> t.publishAll(numbered(0, 3), "flaky"));
        await("three events handled", () -> handled.size() >= 3);
        await("nothing pending", () -> t.info("flaky").get().groups().get(0).pending() == 0);
        assertEquals(Set.of(0, 1, 2), new TreeSet<>(handled));
        assertEquals(3, handled.size(), "each event is handled once: " + handled);
        assertEquals(3, attempts.get(1).get(), "delivered until its handler returned (max-deliveries 3)");
        assertEquals(1, attempts.get(0).get());
        assertEquals(1, attempts.get(2).get());
        assertTrue(s.lastError().contains("IllegalStateException: not yet: attempt 2"), s.lastError());
        assertEquals(0, t.info("flaky").get().deadLetters());
        assertEquals(List.of(), t.deadLetters("flaky", null, 10));
    }

    @Test
    void aPoisonEventEndsInTheDeadLetterStreamAfterMaxDeliveriesWithItsError() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        AtomicInteger poisonAttempts = new AtomicInteger();
        List<Integer> handled = new CopyOnWriteArrayList<>();
        t.subscribe("orders", "billing", e -> {
            if (n(e) == 2) {
                poisonAttempts.incrementAndGet();
                throw new IllegalStateException("cannot bill order 2");
            }
            handled.add(n(e));
        });
        List<String> returned = new ArrayList<>();
        publishing(events, () -> returned.addAll(t.publishAll(numbered(0, 5), "orders")));
        List<String> ids = ids(t, "orders");
        assertPublished(ids, returned);
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
        long ttl = raw(j -> j.ttl("crew:t1:events:{t1.orders}:dead"));
        assertTrue(ttl > 6 * 24 * 3600 && ttl <= 7 * 24 * 3600, "dead-letter TTL " + ttl);
        assertEquals(-1, (long) raw(j -> j.ttl("crew:t1:events:{t1.orders}")),
                "a stream is persistent (trimmed, not expired)");
    }

    @Test
    void aRedrivenDeadLetterIsPublishedAgainAsANewEntryAndLeavesTheDeadLetters() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        java.util.concurrent.atomic.AtomicBoolean poison = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Event> handled = new CopyOnWriteArrayList<>();
        t.subscribe("orders", "billing", e -> {
            if (n(e) == 1 && poison.get()) {
                throw new IllegalStateException("cannot bill order 1");
            }
            handled.add(e);
        });
        publishing(events, () -> t.publishAll(List.of(Event.of(EventType.TASK, Map.of("n", 0)),
                Event.builder(EventType.of("order.created")).data(Map.of("n", 1)).correlationId("req-1")
                        .source("shop").build(), Event.of(EventType.TASK, Map.of("n", 2))), "orders"));
        List<String> ids = ids(t, "orders");
        await("one dead letter", () -> t.info("orders").map(StreamInfo::deadLetters).orElse(0L) == 1);
        await("nothing pending", () -> t.info("orders").get().groups().get(0).pending() == 0);
        DeadLetter dead = t.deadLetters("orders", null, 10).get(0);
        poison.set(false);

        String redriven = t.redrive("orders", dead.event().id()).orElseThrow();
        assertFalse(ids.contains(redriven), "a new entry, not the original " + dead.originalId());
        assertEquals(0, t.info("orders").get().deadLetters());
        assertEquals(List.of(), t.deadLetters("orders", null, 10));
        await("the redriven event handled", () -> handled.stream().anyMatch(e -> redriven.equals(e.id())));
        Event again = handled.stream().filter(e -> redriven.equals(e.id())).findFirst().orElseThrow();
        assertEquals(1, n(again));
        assertEquals("order.created", again.type().name());
        assertEquals("req-1", again.correlationId());
        assertEquals("shop", again.source());
        Map<String, String> fields = raw(j -> j.xrange("crew:t1:events:{t1.orders}", redriven, redriven, 1))
                .get(0).getFields();
        assertTrue(fields.keySet().stream().noneMatch(f -> f.startsWith("dead_")), fields.toString());
        String originalPid = raw(j -> j.xrange("crew:t1:events:{t1.orders}", ids.get(1), ids.get(1), 1)).get(0)
                .getFields().get("pid");
        assertNotEquals(originalPid, fields.get("pid"), "a new publish id");
        assertEquals(ids.size() + 1, ids(t, "orders").size());

        assertTrue(t.redrive("orders", dead.event().id()).isEmpty(), "redriven once only");
        assertTrue(t.redrive("orders", "1-0").isEmpty(), "no such dead letter");
        assertTrue(events.forTenant("t2").redrive("orders", dead.event().id()).isEmpty(), "another tenant's stream");
        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> t.redrive("orders", "nope"));
        assertTrue(bad.getMessage().contains("\"nope\""), bad.getMessage());
        assertThrows(InvalidNameException.class, () -> t.redrive("a:b", dead.event().id()));
    }

    @Test
    void createGroupStartsWhereToldAndInfoDescribesTheStreamAndItsGroups() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        publishing(events, () -> t.publishAll(numbered(0, 4), "history"));
        List<String> ids = ids(t, "history");
        assertEquals(4, ids.size());
        assertTrue(t.createGroup("history", "all", "0"));
        assertFalse(t.createGroup("history", "all", "0"), "the group exists");
        assertTrue(t.createGroup("history", "new", null));

        StreamInfo info = t.info("history").orElseThrow();
        assertEquals("t1", info.tenant());
        assertEquals("history", info.stream());
        assertEquals(4, info.length());
        assertEquals(ids.get(0), info.firstId());
        assertEquals(ids.get(3), info.lastId());
        assertEquals(0, info.deadLetters());
        List<StreamInfo.GroupInfo> groups = info.groups().stream()
                .sorted(Comparator.comparing(StreamInfo.GroupInfo::name)).toList();
        assertEquals(new StreamInfo.GroupInfo("all", 0, 0, "0-0", 4L), groups.get(0));
        assertEquals(new StreamInfo.GroupInfo("new", 0, 0, ids.get(3), 0L), groups.get(1));

        List<Integer> got = new CopyOnWriteArrayList<>();
        t.subscribe("history", "all", e -> got.add(n(e)));
        await("the whole stream for group all", () -> got.size() >= 4);
        await("nothing pending", () -> t.info("history").get().groups().stream()
                .allMatch(g -> g.pending() == 0 && Long.valueOf(0).equals(g.lag())));
        assertEquals(List.of(0, 1, 2, 3), got);
        StreamInfo.GroupInfo all = t.info("history").get().groups().stream().filter(g -> g.name().equals("all"))
                .findFirst().orElseThrow();
        assertEquals(1, all.consumers());
        assertEquals(ids.get(3), all.lastDeliveredId());
    }

    @Test
    void streamsAreTrimmedByLengthAndByAge() {
        RedisEventManager events = events("redis.crew.events.stream.short.max-len", "100",
                "redis.crew.events.stream.recent.max-age", "1s");
        TenantEvents t = events.forTenant("t1");
        List<String> returned = new ArrayList<>();
        publishing(events, () -> {
            for (int b = 0; b < 10; b++) {
                returned.addAll(t.publishAll(numbered(b * 100, b * 100 + 100), "short"));
            }
        });
        long len = t.info("short").get().length();
        assertTrue(len >= 100 && len < 1000, "MAXLEN ~ 100 kept " + len);
        List<Event> kept = t.replay("short", null, 1000);
        assertEquals(len, kept.size());
        assertEquals(999, n(kept.get(kept.size() - 1)));
        assertEquals(kept.get(kept.size() - 1).id(), t.info("short").get().lastId());
        assertPublished(kept.stream().map(Event::id).toList(), returned.subList(1000 - kept.size(), 1000));

        publishing(events, () -> t.publishAll(numbered(0, 10), "recent"));
        assertEquals(10, t.info("recent").get().length());
        Instant before = Instant.now();
        await("1.1 s to pass", () -> Instant.now().isAfter(before.plusMillis(1100)));
        List<String> last = new ArrayList<>();
        publishing(events, () -> last.add(t.publish(Event.of(EventType.TASK, Map.of("n", 10)), "recent")));
        await("the old events trimmed", () -> t.info("recent").get().length() == 1);
        assertPublished(List.of(t.info("recent").get().firstId()), last);
        assertEquals(10, n(t.replay("recent", null, 10).get(0)));
        assertEquals(0, t.trim("recent"));
    }

    @Test
    void eventsReplayFromAnIdOrATimeAndASubscriberResumesAfterAnId() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        List<String> returned = new ArrayList<>();
        publishing(events, () -> {
            for (Event e : numbered(0, 20)) {
                returned.add(t.publish(e, "log"));
            }
        });
        List<String> ids = ids(t, "log");
        assertPublished(ids, returned);
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
        publishing(events, () -> t.publish(Event.of(EventType.TASK, Map.of("n", 20)), "log"));
        await("events 15..20", () -> resumed.size() >= 6);
        assertEquals(List.of(15, 16, 17, 18, 19, 20), resumed.stream().map(EventsContract::n).toList());

        List<Event> whole = new CopyOnWriteArrayList<>();
        t.subscribeAfter("log", null, whole::add);
        await("the whole stream", () -> whole.size() >= 21);
        assertEquals(ids(t, "log"), whole.stream().map(Event::id).toList());
    }

    /** A POJO payload, for the round trip. */
    public static class Order {
        public String sku;
        public int quantity;
    }

    @Test
    void metadataAndDataSurviveTheRoundTripAndForeignEntriesDecode() {
        RedisEventManager events = events();
        TenantEvents t = events.forTenant("t1");
        Order o = new Order();
        o.sku = "A-1";
        o.quantity = 3;
        Instant ts = Instant.parse("2026-01-02T03:04:05.678Z");
        List<String> returned = new ArrayList<>();
        publishing(events, () -> returned.add(t.publish(Event.builder(EventType.of("order.created")).data(o)
                .priority(EventPriority.HIGH).source("shop").correlationId("req-42").timestamp(ts).build(), "shop")));
        Event e = t.replay("shop", null, 1).get(0);
        String id = e.id();
        assertPublished(List.of(id), returned);
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
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", "Agent Started!");
        fields.put("priority", "urgent");
        fields.put("data", "{\"agent\":\"a7\"}");
        String foreign = raw(j -> j.xadd(key, XAddParams.xAddParams(), fields)).toString();
        Event f = t.replay("shop", id, 1).get(0);
        assertEquals(foreign, f.id());
        assertEquals("Agent Started!", f.type().name());
        assertEquals("urgent", f.priority().name());
        assertEquals(Map.of("agent", "a7"), f.data());
        assertEquals(Long.parseLong(foreign.substring(0, foreign.indexOf('-'))), f.timestamp().toEpochMilli());
        Map<String, String> stored = raw(j -> j.xrange(key, id, id)).get(0).getFields();
        assertEquals("req-42", stored.get("correlation_id"), stored.toString());
        assertEquals("{\"quantity\":3,\"sku\":\"A-1\"}", stored.get("data"), stored.toString());
    }

    @Test
    void tenantsSeeOnlyTheirOwnStreams() {
        RedisEventManager events = events();
        TenantEvents a = events.forTenant("t1");
        TenantEvents b = events.forTenant("t2");
        assertEquals("t1", a.tenant());
        assertEquals("t2", b.tenant());
        List<Integer> broadcastA = new CopyOnWriteArrayList<>();
        List<Integer> broadcastB = new CopyOnWriteArrayList<>();
        List<Integer> groupA = new CopyOnWriteArrayList<>();
        List<Integer> groupB = new CopyOnWriteArrayList<>();
        a.subscribe("shared", e -> broadcastA.add(n(e)));
        b.subscribe("shared", e -> broadcastB.add(n(e)));
        a.subscribe("shared", "g", e -> groupA.add(n(e)));
        b.subscribe("shared", "g", e -> groupB.add(n(e)));
        publishing(events, () -> {
            a.publishAll(numbered(0, 3), "shared");
            b.publish(Event.of(EventType.TASK, Map.of("n", 100)), "shared");
            a.publish(Event.of(EventType.TASK, Map.of("n", 3)), "shared");
        });
        await("every subscriber's events", () -> broadcastA.size() >= 4 && broadcastB.size() >= 1
                && groupA.size() >= 4 && groupB.size() >= 1);
        assertEquals(List.of(0, 1, 2, 3), broadcastA);
        assertEquals(List.of(0, 1, 2, 3), groupA);
        assertEquals(List.of(100), broadcastB);
        assertEquals(List.of(100), groupB);
        assertEquals(List.of(0, 1, 2, 3), a.replay("shared", null, 10).stream().map(EventsContract::n).toList());
        assertTrue(a.replay("shared", null, 10).stream().allMatch(e -> "t1".equals(e.tenant())));
        assertEquals(List.of("t2"), b.replay("shared", null, 10).stream().map(Event::tenant).toList());
        assertEquals(4, a.info("shared").orElseThrow().length());
        assertEquals("t2", b.info("shared").orElseThrow().tenant());
        assertEquals(1, b.info("shared").orElseThrow().length());
        assertEquals(4L, (long) raw(j -> j.xlen("crew:t1:events:{t1.shared}")));
        assertEquals(1L, (long) raw(j -> j.xlen("crew:t2:events:{t2.shared}")));
        InvalidInputException foreign = assertThrows(InvalidInputException.class,
                () -> b.publish(Event.builder(EventType.SYSTEM).tenant("t1").build(), "shared"));
        assertTrue(foreign.getMessage().contains("\"t1\""), foreign.getMessage());
        assertFalse(events.forTenant("t3").info("shared").isPresent());
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
    void nullsAndOutOfRangeArgumentsAreRefused() {
        TenantEvents t = events().forTenant("t1");
        assertThrows(InvalidInputException.class, () -> t.publish(null, "s"));
        assertThrows(InvalidInputException.class, () -> t.publishAll(null, "s"));
        assertThrows(InvalidNameException.class, () -> t.publishAll(numbered(0, 1), null));
        assertThrows(InvalidInputException.class, () -> t.subscribe("s", null));
        assertThrows(InvalidInputException.class, () -> t.subscribe("s", "g", null));
        assertThrows(InvalidInputException.class, () -> t.subscribeAfter("s", "x-1", e -> { }));
        assertThrows(InvalidInputException.class, () -> t.replaySince("s", null, 10));
        assertThrows(InvalidInputException.class, () -> t.replay("s", null, 10_001));
        assertThrows(InvalidInputException.class, () -> t.deadLetters("s", "nope", 10));
        assertThrows(InvalidInputException.class, () -> t.createGroup("s", "g", "start"));
        assertThrows(InvalidNameException.class, () -> t.trim("bad name"));
        assertThrows(InvalidNameException.class, () -> t.info("bad name"));
    }
}
