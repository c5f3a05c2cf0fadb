package io.mcpcrew.crew.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ticks of a schedule: both cron dialects, macros, time zones and their daylight-saving changes, fixed rates,
 * and the refusals (each naming the value and the rule); the stored form of a spec.
 */
class ScheduleSpecTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static ScheduleSpec cron(String expression, ZoneId zone) {
        return ScheduleSpec.cron("s", "t", expression).withZone(zone);
    }

    /** The first {@code n} ticks after {@code from}. */
    static List<Instant> ticks(ScheduleSpec spec, Instant from, int n) {
        List<Instant> out = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < n; i++) {
            t = spec.nextTickAfter(t);
            out.add(t);
        }
        return out;
    }

    static Instant utc(String iso) {
        return Instant.parse(iso);
    }

    /** A local date-time with an explicit offset, e.g. {@code at("2026-10-25T02:30", "+02:00")}. */
    static Instant at(String local, String offset) {
        return LocalDateTime.parse(local).atOffset(ZoneOffset.of(offset)).toInstant();
    }

    @Test
    void fiveFieldsAreUnixCronInMinutes() {
        ScheduleSpec s = cron("*/15 * * * *", ZoneOffset.UTC);
        assertEquals(List.of(utc("2026-01-01T10:15:00Z"), utc("2026-01-01T10:30:00Z")),
                ticks(s, utc("2026-01-01T10:07:30.250Z"), 2));
        assertEquals(utc("2026-01-01T10:30:00Z"), s.nextTickAfter(utc("2026-01-01T10:15:00Z")), "strictly after");
        // day of month OR day of week, as Unix cron has it: the 1st, and every Monday
        assertEquals(List.of(utc("2026-03-30T00:00:00Z"), utc("2026-04-01T00:00:00Z"), utc("2026-04-06T00:00:00Z")),
                ticks(cron("0 0 1 * 1", ZoneOffset.UTC), utc("2026-03-29T12:00:00Z"), 3));
        assertEquals(List.of(utc("2026-01-02T09:00:00Z"), utc("2026-01-05T09:00:00Z")),
                ticks(cron("0 9 * * MON-FRI", ZoneOffset.UTC), utc("2026-01-01T12:00:00Z"), 2),
                "Friday, then Monday");
    }

    @Test
    void sixFieldsPutTheSecondFirstAndMacrosAreAccepted() {
        ScheduleSpec s = cron("*/10 * * * * *", ZoneOffset.UTC);
        assertEquals(List.of(utc("2026-01-01T10:00:10Z"), utc("2026-01-01T10:00:20Z")),
                ticks(s, utc("2026-01-01T10:00:00.500Z"), 2));
        assertEquals(utc("2026-01-01T10:00:01Z"), cron("* * * * * *", ZoneOffset.UTC)
                .nextTickAfter(utc("2026-01-01T10:00:00Z")));
        assertEquals(utc("2026-01-31T00:00:00Z"), cron("0 0 0 L * ?", ZoneOffset.UTC)
                .nextTickAfter(utc("2026-01-15T00:00:00Z")), "L: the last day of the month");
        assertEquals(utc("2026-01-02T00:00:00Z"), cron("@daily", ZoneOffset.UTC)
                .nextTickAfter(utc("2026-01-01T10:00:00Z")));
        assertEquals(utc("2026-01-01T11:00:00Z"), cron("@hourly", ZoneOffset.UTC)
                .nextTickAfter(utc("2026-01-01T10:00:00Z")));
        assertEquals("0 9 * * *", ScheduleSpec.cron("s", "t", "  0  9 *\t* * ").cron(), "fields separated by one space");
    }

    @Test
    void theZonesWallClockDecides() {
        ScheduleSpec nine = cron("0 9 * * *", BERLIN);
        assertEquals(utc("2026-01-15T08:00:00Z"), nine.nextTickAfter(utc("2026-01-15T00:00:00Z")), "winter, +01:00");
        assertEquals(utc("2026-07-15T07:00:00Z"), nine.nextTickAfter(utc("2026-07-15T00:00:00Z")), "summer, +02:00");
        assertEquals(utc("2026-07-15T13:00:00Z"), cron("0 9 * * *", NEW_YORK)
                .nextTickAfter(utc("2026-07-15T00:00:00Z")), "New York in summer, -04:00");
        assertEquals(utc("2026-07-15T07:00:00Z"), cron("0 9 * * *", ZoneId.of("+02:00"))
                .nextTickAfter(utc("2026-07-15T00:00:00Z")), "a fixed offset");
    }

    /** Berlin springs forward on 2026-03-29 at 02:00 (+01:00) to 03:00 (+02:00): 02:00 to 02:59 do not exist. */
    @Test
    void aTimeTheClockSkipsRunsShiftedByTheGapAndNoDayIsLost() {
        assertEquals(List.of(at("2026-03-29T03:30", "+02:00"), at("2026-03-30T02:30", "+02:00")),
                ticks(cron("30 2 * * *", BERLIN), at("2026-03-28T12:00", "+01:00"), 2),
                "02:30 runs at 03:30 on the day of the change");
        assertEquals(List.of(at("2026-03-29T01:00", "+01:00"), at("2026-03-29T03:00", "+02:00"),
                at("2026-03-29T04:00", "+02:00")), ticks(cron("0 * * * *", BERLIN), at("2026-03-29T00:30", "+01:00"), 3),
                "02:00 shifted to 03:00 is one tick with 03:00");
        assertEquals(List.of(at("2026-03-08T03:30", "-04:00"), at("2026-03-09T02:30", "-04:00")),
                ticks(cron("30 2 * * *", NEW_YORK), at("2026-03-07T12:00", "-05:00"), 2), "New York likewise");
    }

    /** Berlin falls back on 2026-10-25 at 03:00 (+02:00) to 02:00 (+01:00): 02:00 to 02:59 occur twice. */
    @Test
    void aTimeTheClockRepeatsRunsOnce() {
        assertEquals(List.of(at("2026-10-25T02:30", "+02:00"), at("2026-10-26T02:30", "+01:00")),
                ticks(cron("30 2 * * *", BERLIN), at("2026-10-24T12:00", "+02:00"), 2));
        assertEquals(List.of(at("2026-10-25T01:00", "+02:00"), at("2026-10-25T02:00", "+02:00"),
                at("2026-10-25T03:00", "+01:00")), ticks(cron("0 * * * *", BERLIN), at("2026-10-25T00:30", "+02:00"), 3),
                "the repeated 02:00 runs once");
        assertEquals(at("2026-10-25T03:00", "+01:00"), cron("*/20 * * * *", BERLIN)
                .nextTickAfter(at("2026-10-25T02:10", "+01:00")), "from within the repeat: its times ran already");
        assertEquals(at("2026-10-25T02:20", "+02:00"), cron("*/20 * * * *", BERLIN)
                .nextTickAfter(at("2026-10-25T02:10", "+02:00")), "from within the first pass: on as usual");
        Instant t = at("2026-10-25T01:59:58", "+02:00");
        for (Instant next : ticks(cron("* * * * * *", BERLIN), t, 3700)) {
            assertTrue(next.isAfter(t), "ticks only move forward");
            t = next;
        }
        assertEquals(at("2026-10-25T03:01:38", "+01:00"), t, "3700 seconds of local time, the repeated hour once");
    }

    @Test
    void aFixedRateTicksAtMultiplesOfItsPeriodSinceTheEpochWhateverTheZone() {
        ScheduleSpec hourly = ScheduleSpec.every("s", "t", Duration.ofHours(1)).withZone(BERLIN);
        assertEquals(List.of(utc("2026-03-29T01:00:00Z"), utc("2026-03-29T02:00:00Z")),
                ticks(hourly, utc("2026-03-29T00:59:59.999Z"), 2));
        ScheduleSpec seven = ScheduleSpec.every("s", "t", Duration.ofSeconds(7));
        Instant next = seven.nextTickAfter(utc("2026-01-01T00:00:00Z"));
        assertEquals(0, next.toEpochMilli() % 7000);
        assertTrue(next.toEpochMilli() - utc("2026-01-01T00:00:00Z").toEpochMilli() <= 7000);
        assertEquals(next.plusSeconds(7), seven.nextTickAfter(next), "strictly after");
    }

    @Test
    void badExpressionsAreRefusedNamingTheValueAndTheRule() {
        assertRefused(() -> ScheduleSpec.cron("s", "t", "* * * *"), "\"* * * *\"", "4 fields", "must be 5 fields");
        assertRefused(() -> ScheduleSpec.cron("s", "t", "* * * * * * *"), "7 fields", "must be 5 fields");
        assertRefused(() -> ScheduleSpec.cron("s", "t", "61 * * * *"), "\"61 * * * *\"", "61", "must be 5 fields");
        assertRefused(() -> ScheduleSpec.cron("s", "t", "0 * * * MON-FOO"), "FOO", "must be 5 fields");
        assertRefused(() -> ScheduleSpec.cron("s", "t", "hello"), "\"hello\"", "must be 5 fields");
        assertRefused(() -> ScheduleSpec.cron("s", "t", "@sometimes"), "@sometimes", "must be 5 fields");
        assertRefused(() -> ScheduleSpec.cron("s", "t", ""), "empty cron expression", "must be 5 fields");
        assertRefused(() -> ScheduleSpec.cron("s", "t", "0 0 30 2 *"), "\"0 0 30 2 *\"", "never fires");
        assertRefused(() -> ScheduleSpec.cron("s", "t", "0 0 0 31 2 ?"), "never fires");
        assertRefused(() -> ScheduleSpec.every("s", "t", Duration.ofMillis(1500)), "PT1.5S", "whole seconds");
        assertRefused(() -> ScheduleSpec.every("s", "t", Duration.ZERO), "PT0S", "from 1 s to 366 days");
        assertRefused(() -> ScheduleSpec.every("s", "t", Duration.ofDays(367)), "from 1 s to 366 days");
        assertRefused(() -> new ScheduleSpec("s", "t", "{}", TaskPriority.LOW, "* * * * *", Duration.ofSeconds(1),
                null), "both", "exactly one");
        assertRefused(() -> new ScheduleSpec("s", "t", "{}", TaskPriority.LOW, null, null, null), "neither");
        assertRefused(() -> ScheduleSpec.cron("no such", "t", "* * * * *"), "schedule name", "\"no such\"");
        assertRefused(() -> ScheduleSpec.cron("s", "t:x", "* * * * *"), "task name", "\"t:x\"");
        assertRefused(() -> ScheduleSpec.zone("Mars/Olympus"), "\"Mars/Olympus\"", "IANA time zone");
        assertRefused(() -> ScheduleSpec.cron("s", "t", "* * * * *").withPayload(null), "payload");
        assertEquals(utc("2028-02-29T00:00:00Z"), ScheduleSpec.cron("s", "t", "0 0 29 2 *")
                .nextTickAfter(utc("2026-01-01T00:00:00Z")), "a leap day exists");
    }

    static void assertRefused(Runnable r, String... mentions) {
        InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "message should mention " + m + ": " + e.getMessage());
        }
    }

    @Test
    void theStoredFormRoundTripsAndKeepsAPayloadWithBars() {
        ScheduleSpec c = ScheduleSpec.cron("nightly", "report", "30 2 * * *").withZone(BERLIN)
                .withPayload("{\"a\":\"x|y\",\"b\":[1,2]}").withPriority(TaskPriority.HIGH);
        assertEquals("1|report|HIGH|cron|30 2 * * *|Europe/Berlin|{\"a\":\"x|y\",\"b\":[1,2]}", c.format());
        assertEquals(c, ScheduleSpec.parse("nightly", c.format()));
        ScheduleSpec e = ScheduleSpec.every("beat", "ping", Duration.ofSeconds(30));
        assertEquals("1|ping|NORMAL|every|30|UTC|null", e.format());
        assertEquals(e, ScheduleSpec.parse("beat", e.format()));
        assertRefused(() -> ScheduleSpec.parse("x", "2|ping|NORMAL|every|30|UTC|null"), "not a version 1");
    }

    @Test
    void taskIdsNameTheScheduleAndTheTick() {
        assertEquals("s.nightly.1767234600000", TaskSchedule.taskId("nightly", utc("2026-01-01T02:30:00Z")));
        assertTrue(RedisTaskQueue.requireId(TaskSchedule.taskId("a".repeat(64), Instant.ofEpochMilli(Long.MAX_VALUE)))
                .length() <= 128, "the longest is a valid task id");
    }
}
