package io.mcpcrew.crew.tasks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * How a {@link TaskWorkerPool}'s dispatcher hands on the outcomes Redis confirmed ({@link TaskCompletion}) to the
 * {@link CompletionNotices} of their queue: each batch (the acks of one round trip, or the failures of one turn) as
 * ONE task on the pool's executor, never run on the dispatcher thread. Builds nothing when nobody would hear of it
 * ({@link #collector} is null), so the ack path costs nothing more without listeners, observers or waiters. Used by
 * the dispatcher thread only.
 */
final class CompletionHandoff {
    private final String pool;
    private final ExecutorService executor;

    CompletionHandoff(String pool, ExecutorService executor) {
        this.pool = pool;
        this.executor = executor;
    }

    /** A list to collect {@code q}'s completions in, or null when nobody would hear of them. */
    static List<TaskCompletion> collector(TaskLeases q) {
        CompletionNotices n = noticesOf(q);
        return n != null && n.wanted() ? new ArrayList<>() : null;
    }

    /** The notice of an outcome of {@code t} Redis confirmed now. */
    static TaskCompletion of(Task t, TaskCompletion.Outcome outcome, String result, String error, long atMillis) {
        return new TaskCompletion(t.tenant(), t.queue(), t.id(), t.name(), outcome, t.attempt(), result, error,
                Instant.ofEpochMilli(atMillis));
    }

    /** Hands {@code batch} (of {@code q}; null or empty: nothing) to the executor as one task. */
    void handOff(TaskLeases q, List<TaskCompletion> batch) {
        if (batch == null || batch.isEmpty()) {
            return;
        }
        CompletionNotices n = noticesOf(q);
        try {
            executor.execute(() -> n.deliver(batch));
        } catch (RejectedExecutionException e) {
            // the executor is shutting down: the outcomes are stored; waiters get them from their poll
            TaskWorkerPool.LOG.warning(() -> pool + ": the executor refused the notices of " + batch.size()
                    + " finished task(s) of " + q + "; they are not delivered");
        }
    }

    /** The notices of the node whose queues gave the leases; null for leases of another kind. */
    private static CompletionNotices noticesOf(TaskLeases q) {
        return q instanceof RedisTaskLeases l ? l.notices() : null;
    }
}
