package io.mcpcrew.crew.tasks;

import java.util.Map;

/**
 * Statistics of one queue, read in one script: how many tasks are in each live state (pending also per
 * priority), the age of the oldest pending task, whether the queue is paused, and lifetime counters.
 */
public final class QueueStats {
    private final String tenant;
    private final String queue;
    private final long pending;
    private final long scheduled;
    private final long failedWaitingRetry;
    private final long running;
    private final long dead;
    private final Map<TaskPriority, Long> pendingByPriority;
    private final long oldestPendingAgeMillis;
    private final boolean paused;
    private final long succeededTotal;
    private final long failedAttemptsTotal;
    private final long deadTotal;
    private final long cancelledTotal;
    private final long expiredLeasesTotal;

    QueueStats(String tenant, String queue, long[] v, Map<TaskPriority, Long> pendingByPriority, long now) {
        this.tenant = tenant;
        this.queue = queue;
        this.pending = v[0];
        this.scheduled = v[1];
        this.failedWaitingRetry = v[2];
        this.running = v[3];
        this.dead = v[4];
        this.pendingByPriority = Map.copyOf(pendingByPriority);
        this.oldestPendingAgeMillis = v[9] < 0 ? 0 : Math.max(0, now - v[9]);
        this.paused = v[10] == 1;
        this.succeededTotal = v[11];
        this.failedAttemptsTotal = v[12];
        this.deadTotal = v[13];
        this.cancelledTotal = v[14];
        this.expiredLeasesTotal = v[15];
    }

    public String getTenant() {
        return tenant;
    }

    public String getQueue() {
        return queue;
    }

    public long getPending() {
        return pending;
    }

    public long getScheduled() {
        return scheduled;
    }

    /** Tasks in state FAILED: an attempt failed, the retry is due after the backoff delay. */
    public long getFailedWaitingRetry() {
        return failedWaitingRetry;
    }

    public long getRunning() {
        return running;
    }

    /** Dead letters currently kept (within the dead-letter TTL). */
    public long getDead() {
        return dead;
    }

    public Map<TaskPriority, Long> getPendingByPriority() {
        return pendingByPriority;
    }

    /** Age of the oldest task at the head of a priority (0 when nothing is pending). */
    public long getOldestPendingAgeMillis() {
        return oldestPendingAgeMillis;
    }

    public boolean isPaused() {
        return paused;
    }

    /** Tasks processed successfully since the queue was created. */
    public long getSucceededTotal() {
        return succeededTotal;
    }

    /** Failed attempts (retried or dead-lettered) since the queue was created. */
    public long getFailedAttemptsTotal() {
        return failedAttemptsTotal;
    }

    public long getDeadTotal() {
        return deadTotal;
    }

    public long getCancelledTotal() {
        return cancelledTotal;
    }

    /** Leases that expired (a worker died or stalled) and were reclaimed. */
    public long getExpiredLeasesTotal() {
        return expiredLeasesTotal;
    }
}
