package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What a recurring task is: the schedule's name (unique in its queue), the task it enqueues at each tick (task name,
 * payload, priority) and when the ticks are, either a cron expression in a time zone or a fixed rate. Checked when
 * built: an invalid name, a cron expression that does not parse or never fires, a rate that is not whole seconds
 * from 1 s to 366 days, or both or neither of cron and rate throw {@link InvalidInputException} naming the value
 * and the rule.
 *
 * <pre>{@code
 * ScheduleSpec.cron("nightly-report", "report", "30 2 * * *").withZone(ZoneId.of("Europe/Berlin"))
 *         .withPayload("{\"kind\":\"daily\"}").withPriority(TaskPriority.HIGH);
 * ScheduleSpec.every("heartbeat", "ping", Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Cron: 5 fields are Unix cron (minute hour day-of-month month day-of-week), 6 fields put the second first
 * (Spring cron, with {@code L}, {@code W}, {@code #}), and the macros {@code @yearly}, {@code @monthly},
 * {@code @weekly}, {@code @daily}, {@code @hourly} are accepted. The zone's wall clock decides (daylight saving: a
 * time skipped by the clock runs shifted by the gap, a time the clock repeats runs once). A fixed rate ticks at the
 * multiples of its period since 1970-01-01T00:00Z (every 3600 s: on the hour, UTC); the zone plays no part.
 *
 * @param name     the schedule's name in its queue ({@link Names#RULE})
 * @param taskName the name of the task enqueued at each tick ({@link Names#RULE})
 * @param payload  the payload of each task, JSON text ({@code "null"} for none)
 * @param priority the priority of each task
 * @param cron     the cron expression (fields separated by single spaces), or null for a fixed rate
 * @param every    the fixed rate, or null for a cron expression
 * @param zone     the time zone of the cron expression (default UTC)
 */
public record ScheduleSpec(String name, String taskName, String payload, TaskPriority priority, String cron,
        Duration every, ZoneId zone) {
    /** The longest fixed rate: 366 days. */
    public static final Duration MAX_EVERY = Duration.ofDays(366);
    /** The default time zone. */
    public static final ZoneId UTC = ZoneId.of("UTC");
    /** Version of {@link #format()}, its first part. */
    static final String FORMAT_VERSION = "1";

    public ScheduleSpec {
        Names.require("schedule name", name);
        Names.require("task name", taskName);
        if (payload == null) {
            throw new InvalidInputException("payload null: must be JSON text (use \"null\" or \"{}\" for none)");
        }
        Objects.requireNonNull(priority, "priority");
        zone = zone == null ? UTC : zone;
        cron = ScheduleTicks.normalize(cron);
        if ((cron == null) == (every == null)) {
            throw new InvalidInputException("schedule " + name + " has " + (cron == null ? "neither" : "both")
                    + " a cron expression and a fixed rate: it needs exactly one");
        }
        if (cron != null) {
            ScheduleTicks.parse(cron);
        } else if (every.compareTo(Duration.ofSeconds(1)) < 0 || every.compareTo(MAX_EVERY) > 0
                || every.getNano() != 0) {
            throw new InvalidInputException("invalid fixed rate " + every + " of schedule " + name
                    + ": must be whole seconds from 1 s to 366 days");
        }
    }

    /** A schedule on a cron expression, in UTC, enqueueing {@code taskName} with payload {@code null}, NORMAL. */
    public static ScheduleSpec cron(String name, String taskName, String cron) {
        return new ScheduleSpec(name, taskName, "null", TaskPriority.NORMAL, cron, null, UTC);
    }

    /** A schedule at a fixed rate, enqueueing {@code taskName} with payload {@code null}, NORMAL. */
    public static ScheduleSpec every(String name, String taskName, Duration every) {
        return new ScheduleSpec(name, taskName, "null", TaskPriority.NORMAL, null, every, UTC);
    }

    public ScheduleSpec withPayload(String json) {
        return new ScheduleSpec(name, taskName, json, priority, cron, every, zone);
    }

    public ScheduleSpec withPriority(TaskPriority p) {
        return new ScheduleSpec(name, taskName, payload, p, cron, every, zone);
    }

    /** The time zone of the cron expression. */
    public ScheduleSpec withZone(ZoneId z) {
        return new ScheduleSpec(name, taskName, payload, priority, cron, every, z);
    }

    /**
     * A time zone by its id: an IANA region ({@code Europe/Berlin}), {@code UTC} or a fixed offset
     * ({@code +02:00}); null or blank is UTC. Anything else throws {@link InvalidInputException}.
     */
    public static ZoneId zone(String id) {
        if (id == null || id.isBlank()) {
            return UTC;
        }
        try {
            return ZoneId.of(id.strip());
        } catch (DateTimeException e) {
            throw new InvalidInputException("invalid time zone " + Names.quote(id) + ": must be an IANA time zone id "
                    + "such as Europe/Berlin, UTC, or an offset such as +02:00");
        }
    }

    /** The first tick strictly after {@code after} (whole seconds). */
    public Instant nextTickAfter(Instant after) {
        return Instant.ofEpochMilli(nextTickAfter(after.toEpochMilli()));
    }

    long nextTickAfter(long afterMillis) {
        return cron != null ? ScheduleTicks.nextCron(ScheduleTicks.parse(cron), zone, afterMillis)
                : ScheduleTicks.nextEvery(every.toMillis(), afterMillis);
    }

    /**
     * The spec as stored in the queue's schedules hash: {@code 1|taskName|PRIORITY|cron|<expression>|<zone>|payload}
     * or {@code 1|taskName|PRIORITY|every|<seconds>|<zone>|payload}; the payload comes last and may hold {@code |}
     * (no other part can).
     */
    String format() {
        return FORMAT_VERSION + '|' + taskName + '|' + priority.name() + '|' + (cron != null ? "cron|" + cron
                : "every|" + every.getSeconds()) + '|' + zone.getId() + '|' + payload;
    }

    /** The spec of schedule {@code name} from its stored text ({@link #format()}). */
    static ScheduleSpec parse(String name, String text) {
        String[] p = text.split("\\|", 7);
        if (p.length < 7 || !FORMAT_VERSION.equals(p[0]) || !(p[3].equals("cron") || p[3].equals("every"))) {
            throw new InvalidInputException("schedule " + name + " is stored as " + Names.quote(text)
                    + ": not a version " + FORMAT_VERSION + " schedule spec (docs/wire-format/tasks.md)");
        }
        TaskPriority priority = TaskPriority.parse(p[2]);
        ZoneId zone = zone(p[5]);
        if (p[3].equals("cron")) {
            return new ScheduleSpec(name, p[1], p[6], priority, p[4], null, zone);
        }
        long seconds;
        try {
            seconds = Long.parseLong(p[4]);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("schedule " + name + " has fixed rate " + Names.quote(p[4])
                    + ": must be whole seconds");
        }
        return new ScheduleSpec(name, p[1], p[6], priority, null, Duration.ofSeconds(seconds), zone);
    }
}
