package io.mcpcrew.crew.tasks;

/**
 * A task as a worker's handler sees it: claimed, leased to this worker, running its {@link #attempt()}-th attempt.
 * Returned by {@link TaskLeases#claim} for hand-written workers, which then {@link TaskLeases#ack ack},
 * {@link TaskLeases#fail fail}, {@link TaskLeases#renew renew} or {@link TaskLeases#release release} it.
 *
 * <p>Immutable, but a class rather than a record: the lease token and the retry settings stay package-private
 * (only {@link TaskLeases} uses them), and two claims of one task are two different tasks to a worker.
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
    final String leaseToken;
    final long timeoutMillis;
    final long backoffBaseMillis;
    final long backoffCapMillis;

    Task(String tenant, String queue, String id, String name, String payload, TaskPriority priority, int attempt,
            int maxAttempts, String leaseToken, long timeoutMillis, long backoffBaseMillis, long backoffCapMillis) {
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

    /** True if a failure of this attempt makes the task a dead letter. */
    public boolean isLastAttempt() {
        return attempt >= maxAttempts;
    }

    @Override
    public String toString() {
        return "Task[" + tenant + "/" + queue + "/" + id + " " + name + " attempt " + attempt + "/" + maxAttempts + "]";
    }
}
