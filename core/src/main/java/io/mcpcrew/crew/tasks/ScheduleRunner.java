package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.RedisDataException;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires the due ticks of every schedule ({@link TaskSchedules}): each call of {@link #runDue()} is one pass over
 * the queues of the registry of queues with schedules. Every node runs one (in the server, the EJB timer
 * {@code ScheduleTimer} every {@code redis.crew.tasks.schedules.interval}); in plain Java call {@code runDue()}
 * from a scheduled executor of your own. Any number of runners may run at once on the same Redis: a tick is
 * fired by a compare-and-set in Redis ({@code fire.lua}), so exactly one runner enqueues its task.
 *
 * <p>Per queue and pass: {@code schedule_due.lua} reads Redis' clock and up to {@value #BATCH} schedules whose
 * tick has come; for each, the ticks to fire and the next tick are computed here; {@code fire.lua} fires them all
 * (one script), each only if the schedule is still due at the tick read with the spec read. That is two round
 * trips per queue with due schedules, one per queue without, plus one SSCAN per 500 queues of the registry (a
 * queue with more than {@value #BATCH} due schedules takes two more per further {@value #BATCH}, up to
 * {@value #MAX_BATCHES} batches a pass).
 *
 * <p>Late and missed ticks: when a schedule is found due at tick T, T always fires. If the tick after T is older
 * than {@code redis.crew.tasks.schedules.catch-up-window} (default 1 min) by Redis' clock, ticks were missed while
 * no runner ran (every node was down): they are coalesced into that one run, and the schedule continues from its
 * first tick after now. Otherwise each later tick that has come fires too, at most {@value #MAX_CATCH_UP} of one
 * schedule per script (catching up after a pause of the runners shorter than the window). Each tick's task has the id
 * {@code s.<schedule>.<tick epoch ms>} ({@link TaskSchedule#taskId}).
 */
public final class ScheduleRunner {
    private static final Logger LOG = Logger.getLogger(ScheduleRunner.class.getName());
    /** The most due schedules read and fired per script. */
    static final int BATCH = 100;
    /** The most batches per queue and pass. */
    static final int MAX_BATCHES = 10;
    /** The most ticks of one schedule fired per script while catching up. */
    static final int MAX_CATCH_UP = 10;

    private final TaskQueues queues;
    /** Schedules whose stored spec could not be read or gave no next tick, logged once each (queue, name, spec). */
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();

    /** A runner over the queues of {@code queues} (the CDI bean, or {@code new RedisTaskQueues(redis)}). */
    public ScheduleRunner(TaskQueues queues) {
        this.queues = Objects.requireNonNull(queues, "queues");
    }

    /**
     * One pass: fires every tick that has come in every queue with schedules. Returns how many ticks this call
     * fired (ticks another runner fired first are not counted).
     *
     * @throws io.mcpcrew.crew.redis.RedisUnavailableException Redis is unreachable (the ticks fire on a later pass)
     */
    public int runDue() {
        int fired = 0;
        for (TaskQueue q : queues.scheduledQueues()) {
            if (!(q instanceof RedisTaskQueue)) {
                throw new IllegalStateException("ScheduleRunner needs the Redis task queues, got " + q.getClass());
            }
            try {
                fired += runQueue((RedisTaskQueue) q);
            } catch (RedisDataException e) {
                LOG.log(Level.WARNING, "schedules of {0}/{1} not fired: Redis rejected a script: {2}",
                        new Object[] {q.tenant(), q.name(), e.getMessage()});
            }
        }
        return fired;
    }

    private int runQueue(RedisTaskQueue q) {
        RedisTaskSchedules schedules = (RedisTaskSchedules) q.schedules();
        TaskQueueConfig config = q.owner().config();
        long window = config.schedulesCatchUpWindow().toMillis();
        int fired = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            RedisTaskSchedules.DueBatch due = schedules.due(BATCH);
            if (due.scheduleCount() == 0) {
                q.owner().unregisterScheduled(schedules);
                return fired;
            }
            List<RedisTaskSchedules.Firing> firings = new ArrayList<>(due.due().size());
            for (RedisTaskSchedules.Due d : due.due()) {
                RedisTaskSchedules.Firing f = firing(q, d, due.now(), window, config);
                if (f != null) {
                    firings.add(f);
                }
            }
            if (!firings.isEmpty()) {
                List<Long> results = schedules.fire(firings);
                for (int i = 0; i < firings.size(); i++) {
                    if (results.get(i) >= 0) {
                        RedisTaskSchedules.Firing f = firings.get(i);
                        fired += f.ticks().size();
                        LOG.fine(() -> "schedule " + q.tenant() + "/" + q.name() + "/" + f.due().name() + " fired "
                                + f.ticks() + ", next " + f.next());
                    }
                }
            }
            if (due.due().size() < BATCH) {
                break;
            }
        }
        return fired;
    }

    /** The ticks to fire for one due schedule and its next tick; null if its stored spec cannot be used. */
    private RedisTaskSchedules.Firing firing(RedisTaskQueue q, RedisTaskSchedules.Due d, long now, long window,
            TaskQueueConfig config) {
        ScheduleSpec spec;
        List<Long> ticks = new ArrayList<>(1);
        long next;
        try {
            spec = ScheduleSpec.parse(d.name(), d.specText());
            ticks.add(d.tick());
            next = spec.nextTickAfter(d.tick());
            if (next <= now - window) {
                next = spec.nextTickAfter(now); // missed ticks: one run for all of them, then on from now
            } else {
                while (next <= now && ticks.size() < MAX_CATCH_UP) {
                    ticks.add(next);
                    next = spec.nextTickAfter(next);
                }
            }
        } catch (InvalidInputException | IllegalStateException e) { // written by another client, or no later tick
            if (unreadable.size() < 10_000 && unreadable.add(q.tenant() + "/" + q.name() + "/" + d.name() + "/"
                    + RedisTaskSchedules.sha1(d.specText()))) {
                LOG.log(Level.WARNING, "schedule {0} of {1}/{2} is not fired: {3}",
                        new Object[] {d.name(), q.tenant(), q.name(), e.getMessage()});
            }
            return null;
        }
        String taskSpec = new TaskSpec(spec.taskName(), spec.priority(), config.maxAttempts(),
                config.backoffBase().toMillis(), config.backoffCap().toMillis(), 0, now, "").format();
        return new RedisTaskSchedules.Firing(d, ticks, next, taskSpec);
    }
}
