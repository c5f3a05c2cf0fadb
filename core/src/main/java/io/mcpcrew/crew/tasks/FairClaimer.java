package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.RedisCrewException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One claim round of a {@link TaskWorkerPool}, fair across queues and tenants: it visits the queues that may have
 * work in turn, starting one queue further each round, and gives each at most its share of the free slots
 * ({@code free / queues still to visit}, at least one, at most the claim batch and the room its tenant has left).
 * A queue whose {@link IdleBackoff} wait is not over, or whose tenant holds its whole share, is not asked. Each
 * queue costs one {@link AckBatcher#ackAndClaim} round trip, which also acks what waits for that queue. The list
 * of queues is read again every {@code redis.crew.tasks.workers.queue-refresh}. Used by the dispatcher thread only.
 */
final class FairClaimer {
    private final Supplier<? extends List<? extends TaskLeases>> source;
    private final TaskQueueConfig config;
    private final RunningTasks running;
    private final AckBatcher acks;
    private final IdleBackoff idle;
    private final WorkerStatus status;
    private List<TaskLeases> queues = List.of();
    private long queuesReadAt;
    private int cursor;

    FairClaimer(Supplier<? extends List<? extends TaskLeases>> source, TaskQueueConfig config, RunningTasks running,
            AckBatcher acks, WorkerStatus status) {
        this.source = source;
        this.config = config;
        this.running = running;
        this.acks = acks;
        this.idle = new IdleBackoff(config.pollInterval());
        this.status = status;
    }

    /**
     * Claims for up to {@code free} slots; hands each claimed task to {@code start} at once (so that the room of its
     * tenant is counted for the next queue). Returns how many were claimed.
     */
    int claim(int free, BiConsumer<TaskLeases, Task> start) {
        long now = System.nanoTime();
        refreshQueues(now);
        int n = queues.size();
        if (n == 0) {
            return 0;
        }
        List<TaskLeases> eligible = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TaskLeases q = queues.get((cursor + i) % n);
            if (idle.due(q, now) && running.tenantRoom(q) > 0) {
                eligible.add(q); // a queue of a tenant at its cap is not asked (nor backed off: it may have work)
            }
        }
        cursor = (cursor + 1) % n;
        int claimed = 0;
        for (int i = 0; i < eligible.size() && free > 0; i++) {
            TaskLeases q = eligible.get(i);
            int room = running.tenantRoom(q); // less than at the start if another queue of this tenant claimed
            if (room <= 0) {
                continue;
            }
            int share = Math.min(Math.min(config.claimBatch(), room), Math.max(1, free / (eligible.size() - i)));
            List<Task> got;
            try {
                got = acks.ackAndClaim(q, share);
            } catch (RedisCrewException e) {
                status.noteError("claiming from " + q, e);
                idle.foundEmpty(q, now);
                continue;
            }
            if (got.isEmpty()) {
                idle.foundEmpty(q, now);
                continue;
            }
            idle.foundWork(q);
            for (Task t : got) {
                start.accept(q, t);
            }
            free -= got.size();
            claimed += got.size();
        }
        return claimed;
    }

    private void refreshQueues(long now) {
        if (now - queuesReadAt > config.queueRefresh().toNanos() || queuesReadAt == 0) {
            try {
                queues = List.copyOf(source.get());
                queuesReadAt = now == 0 ? 1 : now;
            } catch (RedisCrewException e) {
                status.noteError("reading the queues to serve", e);
            }
        }
    }
}
