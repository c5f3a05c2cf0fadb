package io.mcpcrew.crew.tasks;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
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
 * @param unclaimed              pending tasks whose name no worker served within
 *                               {@code redis.crew.tasks.workers.served-window}: they wait for a node (or service)
 *                               with their handler and never fail for want of one
 * @param oldestUnclaimedAgeMillis how long the oldest unclaimed task has been due (0 when none)
 * @param byTaskName             the pending tasks per task name, names in order
 * @param waitingChildren        flow parents waiting for their children (state WAITING_CHILDREN)
 */
public record QueueStats(String tenant, String queue, long pending, long scheduled, long failedWaitingRetry,
        long running, long dead, Map<TaskPriority, Long> pendingByPriority, long oldestPendingAgeMillis,
        boolean paused, long succeededTotal, long failedAttemptsTotal, long deadTotal, long cancelledTotal,
        long expiredLeasesTotal, long unclaimed, long oldestUnclaimedAgeMillis, List<TaskNameStats> byTaskName,
        long waitingChildren) {

    public QueueStats {
        pendingByPriority = Map.copyOf(pendingByPriority);
        byTaskName = List.copyOf(byTaskName);
    }

    /**
     * The statistics from the reply of {@code stats.lua}, read at {@code now} (epoch ms); a name counts as served
     * when a worker serving it (or every name) claimed within {@code servedWindowMillis} before {@code now}.
     */
    static QueueStats fromReply(String tenant, String queue, List<Object> r, long now, long servedWindowMillis) {
        long scheduled = num(r.get(0));
        long retry = num(r.get(1));
        long running = num(r.get(2));
        long dead = num(r.get(3));
        Map<TaskPriority, Long> byPriority = new EnumMap<>(TaskPriority.class);
        long pending = 0;
        for (TaskPriority p : TaskPriority.values()) {
            long n = num(r.get(4 + p.rank()));
            byPriority.put(p, n);
            pending += n;
        }
        boolean paused = num(r.get(8)) == 1;
        long servedAll = num(r.get(14));
        long servedSince = now - servedWindowMillis;
        List<TaskNameStats> names = new ArrayList<>();
        long oldestDue = -1;
        long unclaimed = 0;
        long oldestUnclaimedDue = -1;
        for (int i = 16; i + 3 < r.size(); i += 4) {
            long count = num(r.get(i + 1));
            long due = num(r.get(i + 2));
            boolean served = servedAll >= servedSince || num(r.get(i + 3)) >= servedSince;
            names.add(new TaskNameStats(ScriptValues.str(r.get(i)), count, age(due, now), served));
            oldestDue = earliest(oldestDue, due);
            if (!served && count > 0) {
                unclaimed += count;
                oldestUnclaimedDue = earliest(oldestUnclaimedDue, due);
            }
        }
        return new QueueStats(tenant, queue, pending, scheduled, retry, running, dead, byPriority, age(oldestDue, now),
                paused, num(r.get(9)), num(r.get(10)), num(r.get(11)), num(r.get(12)), num(r.get(13)), unclaimed,
                age(oldestUnclaimedDue, now), names, num(r.get(15)));
    }

    private static long num(Object o) {
        return ScriptValues.num(o);
    }

    /** The earlier of two epoch-ms times, -1 standing for none. */
    private static long earliest(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    private static long age(long since, long now) {
        return since < 0 ? 0 : Math.max(0, now - since);
    }
}
