package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.tasks.RunningTask.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The successes a {@link TaskWorkerPool} has not acknowledged yet, by queue. They ride on the queue's next claim
 * ({@link #ackAndClaim}: one {@link TaskLeases#ackAndClaim} script acks them and claims more), or go alone
 * ({@link #flush}) when the dispatcher decides they waited long enough (no later than {@value #MAX_DELAY_MILLIS}
 * ms after the oldest). On a Redis error the acks whose lease may still hold are kept to be sent again. The
 * successes Redis confirmed go on, one batch per round trip, to the {@link CompletionHandoff}. Used by the
 * dispatcher thread only.
 */
final class AckBatcher {
    static final long MAX_DELAY_MILLIS = 50;

    private final String pool;
    private final Duration lease;
    private final WorkerStatus status;
    private final CompletionHandoff handoff;
    private final Map<TaskLeases, List<Completion>> pending = new LinkedHashMap<>();
    private long oldestNanos;

    AckBatcher(String pool, Duration lease, WorkerStatus status, CompletionHandoff handoff) {
        this.pool = pool;
        this.lease = lease;
        this.status = status;
        this.handoff = handoff;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** True if the oldest ack has waited more than {@value #MAX_DELAY_MILLIS} ms at {@code now}. */
    boolean overdue(long now) {
        return now - oldestNanos > TimeUnit.MILLISECONDS.toNanos(MAX_DELAY_MILLIS);
    }

    /** Queues a success for its queue's next round trip. */
    void add(Completion c) {
        if (pending.isEmpty()) {
            oldestNanos = System.nanoTime();
        }
        pending.computeIfAbsent(c.running().queue, k -> new ArrayList<>()).add(c);
    }

    /** One round trip: acks what waits for {@code q} and claims up to {@code claim} tasks leased for the lease. */
    List<Task> ackAndClaim(TaskLeases q, int claim) {
        return send(q, pending.remove(q), claim);
    }

    /** Sends every waiting ack, one script per queue; a failed queue's acks are kept (see the class comment). */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<TaskLeases> qs = new ArrayList<>(pending.keySet());
        for (TaskLeases q : qs) {
            try {
                send(q, pending.remove(q), 0);
            } catch (RedisCrewException e) {
                status.noteError("acknowledging tasks of " + q, e);
            }
        }
    }

    private List<Task> send(TaskLeases q, List<Completion> acks, int claim) {
        List<Task> tasks = new ArrayList<>(acks == null ? 0 : acks.size());
        List<String> results = new ArrayList<>(tasks.size());
        if (acks != null) {
            for (Completion c : acks) {
                tasks.add(c.running().task);
                results.add(c.result());
            }
        }
        ClaimBatch b;
        long at = System.currentTimeMillis();
        try {
            b = q.ackAndClaim(tasks, results, claim, lease);
        } catch (RedisCrewException e) {
            if (acks != null) {
                long leaseNanos = lease.toNanos();
                for (Completion c : acks) {
                    if (System.nanoTime() - c.running().startedNanos < leaseNanos) {
                        add(c); // sent again next round while its lease may still hold
                    }
                }
            }
            throw e;
        }
        List<TaskCompletion> notices = tasks.isEmpty() ? null : CompletionHandoff.collector(q);
        List<Boolean> acked = b.acked();
        TaskMetrics.QueueMeters m = acked.isEmpty() ? null : TaskMetrics.of(q);
        for (int i = 0; i < acked.size(); i++) {
            if (m != null) {
                (acked.get(i) ? m.succeeded : m.leaseLost).increment();
            }
            if (acked.get(i)) {
                status.succeeded();
                if (notices != null) {
                    notices.add(CompletionHandoff.of(tasks.get(i), TaskCompletion.Outcome.SUCCEEDED, results.get(i),
                            null, at));
                }
            } else {
                TaskWorkerPool.LOG.warning(() -> pool + ": a task of " + q + " finished after its lease was lost; it "
                        + "may run again (at-least-once)");
            }
        }
        handoff.handOff(q, notices);
        return b.claimed();
    }
}
