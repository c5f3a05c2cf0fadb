package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.RedisCrewException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the leases of a {@link TaskWorkerPool}'s running tasks: every third of the lease it extends them, one
 * {@link TaskLeases#renew} script per queue, so a task whose handler runs longer than the lease stays this pool's.
 * A lease found lost (it expired first: the task may run elsewhere) is logged. The dispatcher thread calls
 * {@link #renewIfDue} on each turn of its loop and sleeps no longer than {@link #nanosUntilDue}: renewal takes no
 * thread and no lock of its own.
 */
final class LeaseRenewer {
    private final String pool;
    private final Duration lease;
    private final long everyNanos;
    private final WorkerStatus status;
    private long nextNanos;

    /** Renews first a third of the lease after {@code now} (System.nanoTime). */
    LeaseRenewer(String pool, Duration lease, WorkerStatus status, long now) {
        this.pool = pool;
        this.lease = lease;
        this.everyNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, lease.toMillis() / 3));
        this.status = status;
        this.nextNanos = now + everyNanos;
    }

    /** Renews the leases of {@code running} if a renewal is due at {@code now}. */
    void renewIfDue(long now, RunningTasks running) {
        if (now >= nextNanos) {
            renew(running.byQueue());
            nextNanos = now + everyNanos;
        }
    }

    /** Nanoseconds from {@code now} until the next renewal (negative: overdue). */
    long nanosUntilDue(long now) {
        return nextNanos - now;
    }

    private void renew(Map<TaskLeases, List<Task>> byQueue) {
        for (Map.Entry<TaskLeases, List<Task>> e : byQueue.entrySet()) {
            try {
                List<Boolean> ok = e.getKey().renew(e.getValue(), lease);
                for (int i = 0; i < ok.size(); i++) {
                    if (!ok.get(i)) {
                        Task t = e.getValue().get(i);
                        TaskWorkerPool.LOG.warning(() -> pool + ": lost the lease of " + t
                                + " (it expired): it may run elsewhere");
                    }
                }
            } catch (RedisCrewException ex) {
                status.noteError("renewing leases", ex);
            }
        }
    }
}
