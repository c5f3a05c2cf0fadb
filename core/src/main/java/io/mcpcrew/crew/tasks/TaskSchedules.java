package io.mcpcrew.crew.tasks;

import java.util.List;
import java.util.Optional;

/**
 * The recurring tasks of one queue ({@link TaskQueue#schedules()}): each schedule enqueues a task into the queue at
 * every tick of its cron expression or fixed rate, exactly once per tick across all nodes.
 *
 * <pre>{@code
 * TaskSchedules s = queues.forTenant("acme").queue("reports").schedules();
 * s.put(ScheduleSpec.cron("nightly", "build-report", "30 2 * * *").withZone(ZoneId.of("Europe/Berlin")));
 * s.pause("nightly"); s.resume("nightly"); s.delete("nightly");
 * }</pre>
 *
 * <p>Ticks are fired by {@link ScheduleRunner}s (in the server, a timer on every node); each tick is claimed by
 * one runner with a compare-and-set in Redis, so several nodes, restarts and retries never enqueue a tick twice
 * nor skip one. Ticks missed while no runner ran are coalesced: see {@link ScheduleRunner}.
 */
public interface TaskSchedules {

    String tenant();

    /** The queue the schedules enqueue into. */
    String queue();

    /**
     * Creates the schedule {@code spec.name()}, or replaces the one of that name. A new schedule's first tick is the
     * first after now; a replaced one keeps its pause and, if active, its next tick is computed again from now. The
     * same spec again changes nothing (putting a node's schedules at every start is safe).
     *
     * @return the schedule as stored
     * @throws io.mcpcrew.crew.validation.InvalidInputException a payload over {@code redis.crew.tasks.max-payload-bytes}
     */
    TaskSchedule put(ScheduleSpec spec);

    /** The schedule {@code name}, or empty if there is none. */
    Optional<TaskSchedule> get(String name);

    /** Every schedule of the queue, by name. */
    List<TaskSchedule> list();

    /** Stops the schedule's ticks (tasks already enqueued stay); false if there is no such schedule. */
    boolean pause(String name);

    /**
     * Starts a paused schedule again from its first tick after now (ticks of the pause are not run); a schedule
     * that is not paused is left as it is. False if there is no such schedule.
     */
    boolean resume(String name);

    /** Removes the schedule (tasks already enqueued stay); false if there was none. */
    boolean delete(String name);
}
