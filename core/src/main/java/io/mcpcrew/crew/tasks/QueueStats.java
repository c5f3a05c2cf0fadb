package io.mcpcrew.crew.tasks;

import java.util.Map;

/**
 * Statistics of one queue, read in one script: how many tasks are in each live state (pending also per
 * priority), the age of the oldest pending task, whether the queue is paused, and lifetime counters.
 *
 * @param failedWaitingRetry     tasks in state FAILED: an attempt failed, the retry is due after the backoff delay
 * @param dead                   dead letters currently kept (within the dead-letter TTL)
 * @param pendingByPriority      pending tasks per priority (every priority has an entry)
 * @param oldestPendingAgeMillis age of the oldest task at the head of a priority (0 when nothing is pending)
 * @param succeededTotal         tasks processed successfully since the queue was created
 * @param failedAttemptsTotal    failed attempts (retried or dead-lettered) since the queue was created
 * @param expiredLeasesTotal     leases that expired (a worker died or stalled) and were reclaimed
 */
public record QueueStats(String tenant, String queue, long pending, long scheduled, long failedWaitingRetry,
        long running, long dead, Map<TaskPriority, Long> pendingByPriority, long oldestPendingAgeMillis,
        boolean paused, long succeededTotal, long failedAttemptsTotal, long deadTotal, long cancelledTotal,
        long expiredLeasesTotal) {

    public QueueStats {
        pendingByPriority = Map.copyOf(pendingByPriority);
    }

    /**
     * The statistics from the reply of {@code stats.lua} ({@code v}: pending, scheduled, retry, running, dead, the
     * four pending lists, the oldest pending createdAt or -1, paused, then the five lifetime counters), read at
     * {@code now} (epoch ms).
     */
    static QueueStats fromReply(String tenant, String queue, long[] v, Map<TaskPriority, Long> pendingByPriority,
            long now) {
        return new QueueStats(tenant, queue, v[0], v[1], v[2], v[3], v[4], pendingByPriority,
                v[9] < 0 ? 0 : Math.max(0, now - v[9]), v[10] == 1, v[11], v[12], v[13], v[14], v[15]);
    }
}
