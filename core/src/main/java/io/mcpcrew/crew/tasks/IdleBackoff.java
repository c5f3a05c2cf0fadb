package io.mcpcrew.crew.tasks;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When a {@link TaskWorkerPool} asks an empty queue again: after the poll interval, doubling each time it is still
 * empty up to {@value #FACTOR} times the interval. A thousand idle tenants' queues cost a few scripts a second,
 * not thousands, and a queue that gets work is served again within that bound. Used by the dispatcher thread only.
 */
final class IdleBackoff {
    static final long FACTOR = 10;

    private final long pollNanos;
    private final Map<TaskLeases, Wait> waits = new HashMap<>();

    IdleBackoff(Duration pollInterval) {
        this.pollNanos = pollInterval.toNanos();
    }

    /** True if {@code q} may be asked at {@code now}: it had work last time, or its wait is over. */
    boolean due(TaskLeases q, long now) {
        Wait w = waits.get(q);
        return w == null || w.nextCheckNanos - now <= 0;
    }

    /** {@code q} gave nothing (or failed) at {@code now}: wait longer before asking it again. */
    void foundEmpty(TaskLeases q, long now) {
        Wait w = waits.computeIfAbsent(q, k -> new Wait());
        long delay = Math.min(pollNanos * FACTOR, pollNanos << Math.min(w.emptyRounds, 10));
        w.emptyRounds++;
        w.nextCheckNanos = now + delay;
    }

    /** {@code q} gave tasks: ask it again on every round. */
    void foundWork(TaskLeases q) {
        waits.remove(q);
    }

    /** An empty queue's wait: when it is asked next (System.nanoTime), and how many times in a row it was empty. */
    private static final class Wait {
        long nextCheckNanos;
        long emptyRounds;
    }
}
