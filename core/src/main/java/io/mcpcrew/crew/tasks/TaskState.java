package io.mcpcrew.crew.tasks;

/** The life cycle of a task, as stored in its record's {@code state} field. */
public enum TaskState {
    /** Waiting in the queue for a worker. */
    PENDING,
    /** Enqueued with a delay or run-at time that has not come yet. */
    SCHEDULED,
    /** A flow's parent waiting for its children to finish ({@link TaskQueue#enqueueFlow}); then PENDING. */
    WAITING_CHILDREN,
    /** Claimed by a worker that holds its lease. */
    RUNNING,
    /** Finished; its result is kept for the task-result TTL. */
    SUCCEEDED,
    /** An attempt failed; waiting for its retry after the backoff delay. */
    FAILED,
    /** Failed on its last attempt (or was poisoned); kept as a dead letter for the dead-letter TTL. */
    DEAD,
    /** Cancelled before it ran. */
    CANCELLED;

    /** True once the task will not run again unless retried by hand. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }
}
