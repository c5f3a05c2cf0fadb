package io.mcpcrew.crew.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure logic of the events package: types, priorities, the entry codec, ids and settings. */
class EventsTest {

    @Test
    void replaySinceClampsInstantsOutsideTheEntryIdRange() {
        assertEquals(0, StreamQueries.epochMillisClamped(Instant.MIN));
        assertEquals(0, StreamQueries.epochMillisClamped(Instant.parse("-999999999-01-01T00:00:00Z")));
        assertEquals(0, StreamQueries.epochMillisClamped(Instant.EPOCH.minusMillis(1)));
        assertEquals(0, StreamQueries.epochMillisClamped(Instant.EPOCH));
        assertEquals(1_700_000_000_123L, StreamQueries.epochMillisClamped(Instant.ofEpochMilli(1_700_000_000_123L)));
        assertEquals(Long.MAX_VALUE, StreamQueries.epochMillisClamped(Instant.parse("+999999999-12-31T23:59:59Z")));
        assertEquals(Long.MAX_VALUE, StreamQueries.epochMillisClamped(Instant.MAX));
    }

    @Test
    void typesAreExtensibleButValidated() {
        assertEquals(EventType.AGENT, EventType.of("agent"));
        assertEquals("task.completed", EventType.of("task.completed").name());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> EventType.of("has space"));
        assertTrue(e.getMessage().contains("\"has space\"") && e.getMessage().contains("1 to 64"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> EventType.of(""));
        assertThrows(InvalidInputException.class, () -> EventType.of("x".repeat(65)));
        assertEquals("odd name!", EventType.read("odd name!").name(), "names read from Redis are kept");
        assertEquals(EventType.CUSTOM, EventType.read(null));
    }

    @Test
    void prioritiesMapWellKnownNamesAndKeepOthers() {
        assertEquals(EventPriority.CRITICAL, EventPriority.of("CRITICAL"));
        assertEquals(2, EventPriority.of("critical").rank());
        assertEquals("urgent", EventPriority.of("urgent").name());
        assertEquals(0, EventPriority.of("urgent").rank());
        assertThrows(InvalidInputException.class, () -> EventPriority.of("a b"));
        assertEquals(EventPriority.NORMAL, EventPriority.read(""));
        assertEquals(EventPriority.NORMAL, Event.of(EventType.SYSTEM, null).priority());
    }

    @Test
    void codecRoundTripsEveryField() {
        Event e = Event.builder(EventType.of("agent.started")).data(Map.of("agent", "a1", "n", 2))
                .priority(EventPriority.HIGH).source("node-1").correlationId("c-9")
                .timestamp(Instant.ofEpochMilli(1_700_000_000_123L)).build();
        Map<String, String> f = EventCodec.encode(e, "t1");
        assertEquals("1", f.get("v"));
        assertEquals("t1", f.get("tenant"));
        assertEquals("1700000000123", f.get("ts"));
        assertEquals("c-9", f.get("correlation_id"));
        Event back = EventCodec.decode("1700000000200-3", f);
        assertEquals("1700000000200-3", back.id());
        assertEquals(e.type(), back.type());
        assertEquals(e.priority(), back.priority());
        assertEquals("node-1", back.source());
        assertEquals("c-9", back.correlationId());
        assertEquals(e.timestamp(), back.timestamp());
        assertEquals(Map.of("agent", "a1", "n", 2), Map.of("agent", ((Map<?, ?>) back.data()).get("agent"),
                "n", ((Number) ((Map<?, ?>) back.data()).get("n")).intValue()));
    }

    @Test
    void minimalForeignEntriesDecodeWithDefaults() {
        Event e = EventCodec.decode("1700000000200-0", Map.of());
        assertEquals(EventType.CUSTOM, e.type());
        assertEquals(EventPriority.NORMAL, e.priority());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_200L), e.timestamp());
        assertNull(e.data());
        assertNull(e.tenant());
        assertEquals("null", e.dataJson());
    }

    @Test
    void dataJsonIsCheckedAndFreeTextRefusesControlCharacters() {
        assertEquals("[1,2]", Event.builder(EventType.SYSTEM).dataJson("[1,2]").build().dataJson());
        assertThrows(InvalidInputException.class, () -> Event.builder(EventType.SYSTEM).dataJson("{oops"));
        assertThrows(InvalidInputException.class, () -> Event.builder(EventType.SYSTEM).source("a\nb"));
        assertThrows(InvalidInputException.class, () -> Event.builder(EventType.SYSTEM).correlationId(""));
    }

    @Test
    void streamIdsAreParsedStrictly() {
        assertEquals("5-0", StreamIds.parse("id", "5").toString());
        assertEquals("1700000000000-12", StreamIds.parse("id", "1700000000000-12").toString());
        for (String bad : List.of("", "-1", "1-", "a-1", "$", ">", "1-2-3", "99999999999999999999")) {
            assertThrows(InvalidInputException.class, () -> StreamIds.parse("event id", bad), bad);
        }
        assertThrows(InvalidInputException.class, () -> StreamIds.limit(0, 10));
        assertThrows(InvalidInputException.class, () -> StreamIds.limit(11, 10));
    }

    @Test
    void settingsHaveDefaultsPerStreamRetentionAndValidation() {
        EventSettings s = EventSettings.load(ConfigSource.of(Map.of(
                "redis.crew.events.stream.audit.max-len", "0", "redis.crew.events.stream.audit.max-age", "7d",
                "redis.crew.events.cdi.streams", "t1:orders, t2:audit:auditors", "redis.crew.events.node-id", "n1")));
        assertEquals(100_000, s.maxLen());
        assertEquals(100_000, s.retention("orders").maxLen());
        assertEquals(Duration.ZERO, s.retention("orders").maxAge());
        assertEquals(0, s.retention("audit").maxLen());
        assertEquals(Duration.ofDays(7), s.retention("audit").maxAge());
        assertEquals(Duration.ofSeconds(1), s.block());
        assertEquals(5, s.maxDeliveries());
        assertEquals("[t1:orders, t2:audit:auditors]", s.cdiStreams().toString());
        assertEquals("n1", s.nodeId());
        assertEquals(1000, s.backoffMillis(1));
        assertEquals(2000, s.backoffMillis(2));
        assertEquals(30_000, s.backoffMillis(10));
        assertEquals(30_000, s.backoffMillis(1000));

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> EventSettings.load(ConfigSource.of(
                Map.of("redis.crew.events.claim-timeout", "10s"))));
        assertTrue(e.getMessage().contains("retry-backoff-max"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> EventSettings.load(ConfigSource.of(
                Map.of("redis.crew.events.cdi.streams", "t1"))));
        assertThrows(ConfigurationException.class, () -> EventSettings.load(ConfigSource.of(
                Map.of("redis.crew.events.block", "1m"))));
        assertNotEquals(EventSettings.load(ConfigSource.of(Map.of())).nodeId(),
                EventSettings.load(ConfigSource.of(Map.of())).nodeId(), "default node ids are unique");
    }
}
