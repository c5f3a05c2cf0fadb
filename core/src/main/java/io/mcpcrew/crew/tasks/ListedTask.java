package io.mcpcrew.crew.tasks;

import java.time.Instant;

/**
 * One task of a listing ({@link TaskQueue#tasks}): what a table of tasks shows, without the payload, the result and
 * the error's stack ({@link TaskQueue#get} reads those).
 *
 * @param state      the record's state when the page was read (the state listed)
 * @param attempts   attempts started (the running one included)
 * @param runAt      when it may run: its delay, or its retry after a failed attempt
 * @param startedAt  when its last attempt started, or null
 * @param finishedAt when it died (DEAD), or null
 * @param lastError  the last failure's one-line error (at most 1000 characters), or null
 * @param progress   what the handler of the current attempt last reported, or null
 * @param lease      the lease of a RUNNING task, else null
 */
public record ListedTask(String id, String name, TaskPriority priority, TaskState state, int attempts,
        int maxAttempts, Instant createdAt, Instant runAt, Instant startedAt, Instant finishedAt, String lastError,
        TaskProgress progress, TaskLease lease) {
}
