package io.mcpcrew.crew.tasks;

import java.time.Instant;
import java.util.Optional;

/**
 * One schedule of a queue as stored: its spec, whether it is paused, its next tick and the last tick it fired.
 * Each tick enqueues one task with the id {@link #taskId(String, Instant) s.&lt;schedule&gt;.&lt;tick epoch ms&gt;}.
 *
 * @param tenant      the tenant
 * @param queue       the queue the tasks go to
 * @param spec        what is enqueued and when
 * @param paused      true while paused: no tick fires
 * @param nextRunAt   the next tick, null while paused (it may be in the past: due, and fired within a runner pass)
 * @param lastFiredAt the last tick that fired (its task's id is {@link #lastTaskId()}), null if none has yet
 */
public record TaskSchedule(String tenant, String queue, ScheduleSpec spec, boolean paused, Instant nextRunAt,
        Instant lastFiredAt) {

    /** The schedule's name. */
    public String name() {
        return spec.name();
    }

    /** The id of the task of the last tick that fired, if one has. */
    public Optional<String> lastTaskId() {
        return lastFiredAt == null ? Optional.empty() : Optional.of(taskId(name(), lastFiredAt));
    }

    /**
     * The id of the task that schedule {@code schedule} enqueues for the tick {@code tick}:
     * {@code "s." + schedule + "." + tick epoch ms}, e.g. {@code s.nightly.1767234600000}.
     */
    public static String taskId(String schedule, Instant tick) {
        return taskId(schedule, tick.toEpochMilli());
    }

    static String taskId(String schedule, long tickMillis) {
        return "s." + schedule + "." + tickMillis;
    }
}
