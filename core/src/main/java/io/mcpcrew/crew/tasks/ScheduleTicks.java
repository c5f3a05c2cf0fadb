package io.mcpcrew.crew.tasks;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ticks of a schedule: cron expressions parsed by cron-utils, one dialect per field count, and the next tick
 * after an instant. A cron expression is matched against the wall clock of its zone: cron-utils only ever sees
 * local date-times (evaluated in UTC, where no clock changes), and the zone is applied here, so a daylight-saving
 * change can neither skip a day nor run one tick twice:
 * <ul>
 * <li>a local time that does not exist (the spring-forward gap) runs shifted forward by the length of the gap, as
 * {@link ZonedDateTime#ofLocal} does (02:30 becomes 03:30 on a one-hour gap); a tick that lands on the same instant
 * as another runs once;</li>
 * <li>a local time that occurs twice (the fall-back overlap) runs once, at its first occurrence.</li>
 * </ul>
 * A fixed rate ({@code every}) ignores the zone: its ticks are the multiples of its period since the epoch.
 * Thread-safe (cron-utils' parsers are).
 */
final class ScheduleTicks {
    /** Five fields: minute, hour, day of month, month, day of week (Unix cron; day of month and week are OR-ed). */
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Six fields, seconds first, and the macros {@code @hourly} ... (Spring 5.3 cron: also L, W, #). */
    private static final CronParser SPRING = new CronParser(
            CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));
    static final String CRON_RULE = "must be 5 fields (minute hour day-of-month month day-of-week, Unix cron), "
            + "6 fields (second minute hour day-of-month month day-of-week, Spring cron) or a macro such as @daily";
    /** How far ahead a cron expression must fire at least once to be accepted. */
    private static final long HORIZON_YEARS = 10;
    /**
     * Expressions parsed and accepted, so that a runner does not parse each schedule on every pass (the parsed
     * model is immutable; an {@link ExecutionTime} is made from it per use).
     */
    private static final Map<String, Cron> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_MAX = 1000;

    private ScheduleTicks() {
    }

    /** The expression with its fields separated by single spaces. */
    static String normalize(String cron) {
        return cron == null ? null : cron.strip().replaceAll("\\s+", " ");
    }

    /**
     * Parses a normalized cron expression; {@link InvalidInputException} naming the value and the rule when it does
     * not parse or never fires (such as the 30th of February).
     */
    static Cron parse(String cron) {
        Cron known = cron == null ? null : PARSED.get(cron);
        if (known != null) {
            return known;
        }
        Cron parsed = parseNew(cron);
        if (PARSED.size() >= PARSED_MAX) {
            PARSED.clear();
        }
        PARSED.put(cron, parsed);
        return parsed;
    }

    private static Cron parseNew(String cron) {
        if (cron == null || cron.isEmpty()) {
            throw new InvalidInputException("empty cron expression: " + CRON_RULE);
        }
        int fields = cron.split(" ").length;
        Cron parsed;
        try {
            if (fields == 5) {
                parsed = UNIX.parse(cron);
            } else if (fields == 6 || (fields == 1 && cron.startsWith("@"))) {
                parsed = SPRING.parse(cron);
            } else {
                throw new InvalidInputException("invalid cron expression " + Names.quote(cron) + " of " + fields
                        + " fields: " + CRON_RULE);
            }
            parsed.validate();
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidInputException) {
                throw e;
            }
            throw new InvalidInputException("invalid cron expression " + Names.quote(cron) + ": " + detail(e) + "; "
                    + CRON_RULE);
        }
        ExecutionTime times = ExecutionTime.forCron(parsed);
        LocalDateTime from = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        Optional<ZonedDateTime> first = times.nextExecution(from.atZone(ZoneOffset.UTC));
        if (first.isEmpty() || first.get().toLocalDateTime().isAfter(from.plusYears(HORIZON_YEARS))) {
            throw new InvalidInputException("cron expression " + Names.quote(cron) + " never fires (no matching "
                    + "date within " + HORIZON_YEARS + " years): it must name a date that exists");
        }
        return parsed;
    }

    /** cron-utils' message without its generic lead-in. */
    private static String detail(IllegalArgumentException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace("Failed to parse cron expression. ", "").strip();
    }

    /**
     * The first tick of {@code cron} in {@code zone} strictly after {@code afterMillis} (epoch ms); whole seconds.
     *
     * @throws IllegalStateException the expression has no later tick (it was accepted, so only after years)
     */
    static long nextCron(Cron expression, ZoneId zone, long afterMillis) {
        ExecutionTime cron = ExecutionTime.forCron(expression);
        Instant after = Instant.ofEpochMilli(afterMillis);
        // ticks are whole seconds: the first one after the truncated second is also after the instant itself
        LocalDateTime from = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 1000; i++) {
            Optional<ZonedDateTime> next = cron.nextExecution(from.atZone(ZoneOffset.UTC));
            if (next.isEmpty()) {
                break;
            }
            LocalDateTime local = next.get().toLocalDateTime();
            if (!local.isAfter(from)) {
                from = from.plusSeconds(1);
                continue;
            }
            Instant at = ZonedDateTime.ofLocal(local, zone, null).toInstant(); // gap: shifted; overlap: first
            if (at.isAfter(after)) {
                return at.toEpochMilli();
            }
            // a local time of an overlap whose first occurrence is past: so are the others, go to its end
            ZoneOffsetTransition t = zone.getRules().getTransition(local);
            from = t != null && t.isOverlap() && local.isBefore(t.getDateTimeBefore())
                    ? t.getDateTimeBefore().minusSeconds(1) : local;
        }
        throw new IllegalStateException("no tick of the cron expression after " + after + " in " + zone);
    }

    /** The first multiple of {@code everyMillis} since the epoch strictly after {@code afterMillis}. */
    static long nextEvery(long everyMillis, long afterMillis) {
        return Math.floorDiv(afterMillis, everyMillis) * everyMillis + everyMillis;
    }
}
