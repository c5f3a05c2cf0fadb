package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.ScheduleSpec;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;
import jakarta.json.JsonValue;
import java.time.Duration;

/**
 * Body of {@code PUT .../queues/{queue}/schedules/{name}}:
 * {@code {"taskName","payload","priority","cron"|"everySeconds","timeZone"}}; {@code taskName} and exactly one of
 * {@code cron} and {@code everySeconds} required.
 *
 * @param taskName     the task enqueued at each tick
 * @param payload      any JSON value; {@code null} when not given
 * @param priority     CRITICAL, HIGH, NORMAL (default) or LOW, any case; null when not given
 * @param cron         a cron expression (5 fields, 6 with seconds first, or a macro), or null
 * @param everySeconds a fixed rate, 1 to {@value #MAX_EVERY_SECONDS}, or null
 * @param timeZone     the cron expression's time zone (IANA id or offset), null for UTC
 */
public record ScheduleRequest(String taskName, JsonValue payload, String priority, String cron, Long everySeconds,
        String timeZone) {
    /** The longest fixed rate: 366 days. */
    public static final long MAX_EVERY_SECONDS = 366L * 24 * 3600;

    /** Reads the body; wrong JSON types and numbers outside their range are a 400 naming the field. */
    static ScheduleRequest parse(String raw) {
        JsonFields b = JsonBody.object(raw, "{\"taskName\":\"echo\",\"cron\":\"*/5 * * * *\"} or "
                + "{\"taskName\":\"echo\",\"everySeconds\":60}");
        JsonValue payload = b.value("payload");
        return new ScheduleRequest(b.requiredString("taskName", "the task enqueued at each tick, e.g. \"echo\""),
                payload == null ? JsonValue.NULL : payload, b.string("priority"), b.string("cron"),
                b.integer("everySeconds", 1, MAX_EVERY_SECONDS, "366 days"), b.string("timeZone"));
    }

    /** The schedule {@code name} this body describes. */
    ScheduleSpec toSpec(String name) {
        if ((cron == null) == (everySeconds == null)) {
            throw new InvalidInputException("a schedule needs exactly one of the fields \"cron\" and \"everySeconds\", "
                    + "got " + (cron == null ? "neither" : "both"));
        }
        return new ScheduleSpec(name, taskName, payload.toString(), TaskPriority.parse(priority), cron,
                everySeconds == null ? null : Duration.ofSeconds(everySeconds), ScheduleSpec.zone(timeZone));
    }
}
