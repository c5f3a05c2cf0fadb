package io.mcpcrew.crew.tasks;

import java.util.List;

/**
 * A task as a worker's handler sees it: claimed, leased to this worker, running its {@link #attempt()}-th attempt.
 * Returned by {@link TaskLeases#claim} for hand-written workers, which then {@link TaskLeases#ack ack},
 * {@link TaskLeases#fail fail}, {@link TaskLeases#renew renew} or {@link TaskLeases#release release} it.
 *
 * <p>A running handler reports how far it got with {@link #progress}.
 *
 * <p>A class rather than a record: the lease token, the retry settings and where progress goes stay
 * package-private (only {@link TaskLeases} and the worker pool use them), and two claims of one task are two
 * different tasks to a worker. Its values never change.
 */
public final class Task {
    private final String tenant;
    private final String queue;
    private final String id;
    private final String name;
    private final String payload;
    private final TaskPriority priority;
    private final int attempt;
    private final int maxAttempts;
    private final List<FlowChild> children;
    final String leaseToken;
    final long timeoutMillis;
    final long backoffBaseMillis;
    final long backoffCapMillis;
    /**
     * Where {@link #progress} goes: the leases that claimed it (one script per report), replaced by the worker pool
     * that runs it (written at most every {@code redis.crew.tasks.progress-interval}). Null: nowhere to report.
     */
    volatile ProgressSink progressSink;

    Task(String tenant, String queue, String id, String name, String payload, TaskPriority priority, int attempt,
            int maxAttempts, String leaseToken, long timeoutMillis, long backoffBaseMillis, long backoffCapMillis,
            List<FlowChild> children) {
        this.children = List.copyOf(children);
        this.leaseToken = leaseToken;
        this.timeoutMillis = timeoutMillis;
        this.backoffBaseMillis = backoffBaseMillis;
        this.backoffCapMillis = backoffCapMillis;
        this.tenant = tenant;
        this.queue = queue;
        this.id = id;
        this.name = name;
        this.payload = payload;
        this.priority = priority;
        this.attempt = attempt;
        this.maxAttempts = maxAttempts;
    }

    public String tenant() {
        return tenant;
    }

    public String queue() {
        return queue;
    }

    public String id() {
        return id;
    }

    /** The task name a handler is chosen by. */
    public String name() {
        return name;
    }

    /** The payload as enqueued (JSON text). */
    public String payload() {
        return payload;
    }

    public TaskPriority priority() {
        return priority;
    }

    /** 1 for the first attempt. */
    public int attempt() {
        return attempt;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The children of a flow's parent ({@link TaskQueue#enqueueFlow}), in the order they were given, each with its
     * outcome and result: every child has finished by the time the parent runs (under
     * {@link FlowFailurePolicy#RUN_PARENT} some may be DEAD or CANCELLED). Empty for any other task.
     */
    public List<FlowChild> children() {
        return children;
    }

    /** True if a failure of this attempt makes the task a dead letter. */
    public boolean isLastAttempt() {
        return attempt >= maxAttempts;
    }

    /**
     * Reports how far this attempt got: {@code percent} from 0 to 100 and a short message (null for none), shown in
     * {@link TaskInfo#progress()} and the task's HTTP representation while the worker holds the lease. Under a worker
     * pool ({@link TaskQueue#startWorker}, the managed workers) it only records the latest value: the pool writes
     * the latest value of each task at most every {@code redis.crew.tasks.progress-interval} (500 ms), so calling it
     * often costs no more Redis work. On a task claimed by hand ({@link TaskLeases#claim}) each call is one script.
     *
     * @throws io.mcpcrew.crew.validation.InvalidInputException a percent outside 0..100, or a message over
     *                                                          {@value TaskProgress#MAX_MESSAGE_LENGTH} characters
     * @throws IllegalStateException a task not claimed from a queue (nowhere to report to)
     */
    public void progress(int percent, String message) {
        TaskProgress p = TaskProgress.of(percent, message);
        ProgressSink sink = progressSink;
        if (sink == null) {
            throw new IllegalStateException(this + " was not claimed from a queue: its progress has nowhere to go");
        }
        sink.report(this, p);
    }

    @Override
    public String toString() {
        return "Task[" + tenant + "/" + queue + "/" + id + " " + name + " attempt " + attempt + "/" + maxAttempts + "]";
    }
}
