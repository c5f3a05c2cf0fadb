package io.mcpcrew.crew.tasks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks a {@link TaskWorkerPool} runs now, and how many slots each tenant holds of them (a tenant holds at most
 * {@code tenantMaxShare}). Used by the dispatcher thread only; {@link #count()} may be read by any thread.
 */
final class RunningTasks {
    private final int tenantMaxShare;
    private final Map<Task, RunningTask> byTask = new IdentityHashMap<>();
    /** Slots each tenant holds now; no entry: none. */
    private final Map<String, Integer> heldByTenant = new HashMap<>();
    private volatile int count;

    RunningTasks(int tenantMaxShare) {
        this.tenantMaxShare = tenantMaxShare;
    }

    /** How many run now, for any thread. */
    int count() {
        return count;
    }

    int size() {
        return byTask.size();
    }

    boolean isEmpty() {
        return byTask.isEmpty();
    }

    /** Slots the tenant of {@code q} may still take. */
    int tenantRoom(TaskLeases q) {
        return tenantMaxShare - heldByTenant.getOrDefault(q.tenant(), 0);
    }

    void add(RunningTask r) {
        byTask.put(r.task, r);
        heldByTenant.merge(r.queue.tenant(), 1, Integer::sum);
        count = byTask.size();
    }

    /** Removes a task; null if it was not there (already failed, timed out or released). */
    RunningTask remove(Task t) {
        RunningTask r = byTask.remove(t);
        if (r != null) {
            heldByTenant.computeIfPresent(r.queue.tenant(), (k, held) -> held == 1 ? null : held - 1);
        }
        count = byTask.size();
        return r;
    }

    /** The tasks past their timeout at {@code now}; null if none (the common case allocates nothing). */
    List<RunningTask> timedOut(long now) {
        List<RunningTask> expired = null;
        for (RunningTask r : byTask.values()) {
            if (r.timedOut(now)) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(r);
            }
        }
        return expired;
    }

    /** Every running task. */
    Iterable<RunningTask> all() {
        return byTask.values();
    }

    /** Every running task, by queue. */
    Map<TaskLeases, List<Task>> byQueue() {
        Map<TaskLeases, List<Task>> out = new LinkedHashMap<>();
        for (RunningTask r : byTask.values()) {
            out.computeIfAbsent(r.queue, k -> new ArrayList<>()).add(r.task);
        }
        return out;
    }

    /** Interrupts every running handler. */
    void cancelAll() {
        for (RunningTask r : byTask.values()) {
            r.cancel();
        }
    }

    /** Forgets every task. */
    void clear() {
        byTask.clear();
        heldByTenant.clear();
        count = 0;
    }
}
