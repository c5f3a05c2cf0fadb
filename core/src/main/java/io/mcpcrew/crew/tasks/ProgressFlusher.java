package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.RedisCrewException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the progress that a {@link TaskWorkerPool}'s handlers report ({@link Task#progress}), throttled: a
 * handler's thread only keeps the latest value on its {@link RunningTask} and raises a flag; the dispatcher calls
 * {@link #flushIfDue} on each turn, and at most every {@code redis.crew.tasks.progress-interval} writes the latest
 * value of each task that reported since, one {@link TaskLeases#progress} script per queue. However often handlers
 * report, the pool costs Redis at most one script per queue per interval. A value reported after the last write of
 * a task that then finishes is not written (its outcome is). The flag is the only state other threads touch.
 */
final class ProgressFlusher {
    private final long everyNanos;
    private final WorkerStatus status;
    private volatile boolean pending;
    private long nextNanos;

    /** The first write may come at once after {@code now} (System.nanoTime). */
    ProgressFlusher(Duration every, WorkerStatus status, long now) {
        this.everyNanos = every.toNanos();
        this.status = status;
        this.nextNanos = now;
    }

    /** A handler reported a value ({@link RunningTask#report}): write it at the next due flush. Any thread. */
    void pending() {
        pending = true;
    }

    /** Nanoseconds from {@code now} until a write is due; {@link Long#MAX_VALUE} when nothing waits to be written. */
    long nanosUntilDue(long now) {
        return pending ? Math.max(0, nextNanos - now) : Long.MAX_VALUE;
    }

    /** Writes what the handlers of {@code running} reported if a write is due at {@code now}. */
    void flushIfDue(long now, RunningTasks running) {
        if (!pending || now - nextNanos < 0) {
            return;
        }
        pending = false;
        nextNanos = now + everyNanos;
        Map<TaskLeases, List<Task>> tasks = new LinkedHashMap<>();
        Map<TaskLeases, List<TaskProgress>> values = new LinkedHashMap<>();
        for (RunningTask r : running.all()) {
            TaskProgress p = r.takeProgress();
            if (p != null) {
                tasks.computeIfAbsent(r.queue, k -> new ArrayList<>()).add(r.task);
                values.computeIfAbsent(r.queue, k -> new ArrayList<>()).add(p);
            }
        }
        for (Map.Entry<TaskLeases, List<Task>> e : tasks.entrySet()) {
            try {
                e.getKey().progress(e.getValue(), values.get(e.getKey()));
            } catch (RedisCrewException ex) {
                status.noteError("writing the progress of running tasks of " + e.getKey(), ex);
            }
        }
    }
}
