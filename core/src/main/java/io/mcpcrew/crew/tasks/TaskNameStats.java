package io.mcpcrew.crew.tasks;

/**
 * The pending tasks of one task name in one queue ({@link QueueStats#byTaskName}).
 *
 * @param pending                pending tasks of this name (every priority)
 * @param oldestPendingAgeMillis how long the oldest of them has been due (0 when none is pending)
 * @param served                 whether a worker serving this name (or every name) claimed from the queue within
 *                               {@code redis.crew.tasks.workers.served-window}; pending tasks of a name nobody
 *                               serves are {@linkplain QueueStats#unclaimed unclaimed}
 */
public record TaskNameStats(String taskName, long pending, long oldestPendingAgeMillis, boolean served) {
}
