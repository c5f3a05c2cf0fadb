package io.mcpcrew.crew.tasks;

import static io.mcpcrew.crew.tasks.ScriptValues.str;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The callers waiting for tasks to finish ({@link TaskQueue#awaitAsync}) on this node, with no thread per waiter:
 * each is a future in this registry. It is completed
 * <ul>
 *   <li>at once when a worker pool of this node finishes the task ({@link #finished}, from
 *       {@link CompletionNotices}) or this node cancels it ({@link #settle});</li>
 *   <li>otherwise by one poller, a task on the Redis manager's scheduler every
 *       {@code redis.crew.tasks.await-poll-interval} (100 ms) while anyone waits, which reads every waited task with
 *       one script per queue with waiters (up to {@value #CHUNK} tasks per script; {@code states.lua}): a task found
 *       SUCCEEDED, DEAD or CANCELLED (finished on another node) answers its waiters, and a waiter whose time is up
 *       gets the task as it is then.</li>
 * </ul>
 * Futures are completed outside the registry's lock, on the poller's or the notifying thread: what the caller chains
 * to them should hand longer work to a thread of its own.
 */
final class TaskWaiters {
    private static final Logger LOG = Logger.getLogger(TaskWaiters.class.getName());
    /** The most tasks one {@code states.lua} call reads. */
    static final int CHUNK = 500;
    /** The longest wait. */
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private final ScheduledExecutorService scheduler;
    private final long pollMillis;
    /** By "tenant/queue": the waiters of that queue. Guarded by this. */
    private final Map<String, QueueWaiters> byQueue = new HashMap<>();
    /** Guarded by this; null while nobody waits. */
    private ScheduledFuture<?> poller;
    private volatile boolean any;

    TaskWaiters(ScheduledExecutorService scheduler, Duration pollInterval) {
        this.scheduler = scheduler;
        this.pollMillis = pollInterval.toMillis();
    }

    /** True while anyone waits. */
    boolean any() {
        return any;
    }

    /** How many wait now (for the health of the registry, and tests). */
    synchronized int size() {
        int n = 0;
        for (QueueWaiters q : byQueue.values()) {
            for (List<Waiter> ws : q.byId.values()) {
                n += ws.size();
            }
        }
        return n;
    }

    /**
     * Waits for task {@code id} of {@code q}: a future completed with the task when it finishes or when
     * {@code timeout} has passed (whatever its state then), or with empty if there is no such task. Reads the task
     * once now, on the caller's thread (a finished or unknown task answers at once).
     *
     * @throws InvalidInputException a bad id, or a timeout that is negative or over {@link #MAX_TIMEOUT}
     */
    CompletableFuture<Optional<TaskInfo>> await(RedisTaskQueue q, String id, Duration timeout) {
        RedisTaskQueue.requireId(id);
        if (timeout == null || timeout.isNegative() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new InvalidInputException("invalid wait " + timeout + ": must be from 0 to " + MAX_TIMEOUT.toHours()
                    + " hours");
        }
        Waiter w = new Waiter(System.nanoTime() + timeout.toNanos());
        if (!timeout.isZero()) {
            add(q, id, w); // before the first read: a completion between the read and the add is not missed
        }
        Optional<TaskInfo> now;
        try {
            now = q.get(id);
        } catch (RuntimeException e) {
            remove(q, id, w);
            throw e;
        }
        if (timeout.isZero() || now.isEmpty() || now.get().state().isFinal()) {
            remove(q, id, w);
            w.future.complete(now);
        }
        return w.future;
    }

    /** Answers the waiters of the tasks in {@code batch} that finished for good (read from Redis: one script per queue). */
    void finished(List<TaskCompletion> batch) {
        if (!any) {
            return;
        }
        Map<String, List<String>> ids = new LinkedHashMap<>();
        Map<String, RedisTaskQueue> queues = new HashMap<>();
        synchronized (this) {
            for (TaskCompletion c : batch) {
                QueueWaiters qw = c.outcome().isFinal() ? byQueue.get(key(c.tenant(), c.queue())) : null;
                if (qw != null && qw.byId.containsKey(c.id())) {
                    ids.computeIfAbsent(qw.key, k -> new ArrayList<>()).add(c.id());
                    queues.put(qw.key, qw.queue);
                }
            }
        }
        for (Map.Entry<String, List<String>> e : ids.entrySet()) {
            settle(queues.get(e.getKey()), e.getValue());
        }
    }

    /** Reads {@code ids} of {@code q} now and answers the waiters of those that finished (a cancel on this node). */
    void settle(RedisTaskQueue q, List<String> ids) {
        if (!any) {
            return;
        }
        List<String> waited = new ArrayList<>(ids.size());
        synchronized (this) {
            QueueWaiters qw = byQueue.get(key(q.tenant(), q.name()));
            for (String id : ids) {
                if (qw != null && qw.byId.containsKey(id)) {
                    waited.add(id);
                }
            }
        }
        if (!waited.isEmpty()) {
            answer(q, read(q, waited, Set.of()), System.nanoTime());
        }
    }

    /** One round of the poller: reads every waited task, one script per queue (per {@value #CHUNK} tasks). */
    void poll() {
        try {
            long now = System.nanoTime();
            List<Snapshot> work = new ArrayList<>();
            synchronized (this) {
                if (byQueue.isEmpty()) {
                    stopPolling();
                    return;
                }
                for (QueueWaiters qw : byQueue.values()) {
                    List<String> ids = new ArrayList<>(qw.byId.keySet());
                    Set<String> due = new HashSet<>();
                    for (Map.Entry<String, List<Waiter>> e : qw.byId.entrySet()) {
                        for (Waiter w : e.getValue()) {
                            if (w.deadlineNanos <= now) {
                                due.add(e.getKey());
                                break;
                            }
                        }
                    }
                    work.add(new Snapshot(qw.queue, ids, due));
                }
            }
            for (Snapshot s : work) {
                for (int from = 0; from < s.ids.size(); from += CHUNK) {
                    List<String> chunk = s.ids.subList(from, Math.min(s.ids.size(), from + CHUNK));
                    try {
                        answer(s.queue, read(s.queue, chunk, s.due), now);
                    } catch (RedisCrewException e) {
                        failDue(s.queue, chunk, now, e);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "polling the tasks waited for (tried again at the next poll)", e);
        }
    }

    /** Gives up every waiter (the application stops): each gets {@code IllegalStateException}. */
    void close() {
        List<Waiter> all = new ArrayList<>();
        synchronized (this) {
            for (QueueWaiters qw : byQueue.values()) {
                qw.byId.values().forEach(all::addAll);
            }
            byQueue.clear();
            any = false;
            stopPolling();
        }
        for (Waiter w : all) {
            w.future.completeExceptionally(new IllegalStateException("the task queues stopped while waiting"));
        }
    }

    private synchronized void add(RedisTaskQueue q, String id, Waiter w) {
        String k = key(q.tenant(), q.name());
        byQueue.computeIfAbsent(k, x -> new QueueWaiters(k, q)).byId.computeIfAbsent(id, x -> new ArrayList<>(1)).add(w);
        any = true;
        if (poller == null) {
            try {
                poller = scheduler.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                remove(q, id, w);
                throw new IllegalStateException("cannot wait for task " + id + ": the Redis manager's scheduler is "
                        + "shut down (the manager is closed)", e);
            }
        }
    }

    private synchronized void remove(RedisTaskQueue q, String id, Waiter w) {
        String k = key(q.tenant(), q.name());
        QueueWaiters qw = byQueue.get(k);
        if (qw == null) {
            return;
        }
        List<Waiter> ws = qw.byId.get(id);
        if (ws != null && ws.remove(w) && ws.isEmpty()) {
            qw.byId.remove(id);
            if (qw.byId.isEmpty()) {
                byQueue.remove(k);
            }
        }
        any = !byQueue.isEmpty();
    }

    /** Completes the waiters the replies answer: unknown or finished tasks, and waiters whose time is up. */
    private void answer(RedisTaskQueue q, Map<String, Read> replies, long now) {
        List<Runnable> completions = new ArrayList<>();
        synchronized (this) {
            QueueWaiters qw = byQueue.get(key(q.tenant(), q.name()));
            if (qw == null) {
                return;
            }
            for (Map.Entry<String, Read> e : replies.entrySet()) {
                List<Waiter> ws = qw.byId.get(e.getKey());
                if (ws == null) {
                    continue;
                }
                Read r = e.getValue();
                boolean all = r.info == null && r.state == null || r.info != null && r.info.state().isFinal();
                Optional<TaskInfo> value = Optional.ofNullable(r.info);
                for (Iterator<Waiter> it = ws.iterator(); it.hasNext();) {
                    Waiter w = it.next();
                    if (all || r.info != null && w.deadlineNanos <= now) {
                        it.remove();
                        completions.add(() -> w.future.complete(value));
                    }
                }
                if (ws.isEmpty()) {
                    qw.byId.remove(e.getKey());
                }
            }
            if (qw.byId.isEmpty()) {
                byQueue.remove(qw.key);
            }
            any = !byQueue.isEmpty();
        }
        completions.forEach(Runnable::run);
    }

    /** Redis failed while reading: the waiters whose time is up get the error, the others wait on. */
    private void failDue(RedisTaskQueue q, List<String> ids, long now, RedisCrewException error) {
        List<Waiter> due = new ArrayList<>();
        synchronized (this) {
            QueueWaiters qw = byQueue.get(key(q.tenant(), q.name()));
            if (qw == null) {
                return;
            }
            for (String id : ids) {
                List<Waiter> ws = qw.byId.get(id);
                if (ws == null) {
                    continue;
                }
                for (Iterator<Waiter> it = ws.iterator(); it.hasNext();) {
                    Waiter w = it.next();
                    if (w.deadlineNanos <= now) {
                        it.remove();
                        due.add(w);
                    }
                }
                if (ws.isEmpty()) {
                    qw.byId.remove(id);
                }
            }
            if (qw.byId.isEmpty()) {
                byQueue.remove(qw.key);
            }
            any = !byQueue.isEmpty();
        }
        due.forEach(w -> w.future.completeExceptionally(error));
    }

    /** One {@code states.lua} call: per id, unknown, unfinished (state only), or the whole record. */
    @SuppressWarnings("unchecked")
    private static Map<String, Read> read(RedisTaskQueue q, List<String> ids, Set<String> whole) {
        List<String> keys = new ArrayList<>(ids.size());
        List<String> args = new ArrayList<>(ids.size());
        for (String id : ids) {
            keys.add(q.keys.task(id));
            args.add(whole.contains(id) ? "1" : "0");
        }
        List<Object> reply = (List<Object>) q.redis.eval(RedisTaskQueues.STATES, keys, args);
        Map<String, Read> out = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            List<Object> r = (List<Object>) reply.get(i);
            if (r.isEmpty()) {
                out.put(ids.get(i), new Read(null, null));
            } else if (r.size() == 1) {
                out.put(ids.get(i), new Read(TaskState.valueOf(str(r.get(0))), null));
            } else {
                Map<String, String> h = new HashMap<>();
                for (int j = 0; j + 1 < r.size(); j += 2) {
                    h.put(str(r.get(j)), str(r.get(j + 1)));
                }
                TaskInfo info = TaskInfo.fromRecord(q.tenant(), q.name(), ids.get(i), h);
                out.put(ids.get(i), new Read(info.state(), info));
            }
        }
        return out;
    }

    private void stopPolling() {
        if (poller != null) {
            poller.cancel(false);
            poller = null;
        }
    }

    private static String key(String tenant, String queue) {
        return tenant + "/" + queue;
    }

    /** A caller waiting: its future and when its time is up (System.nanoTime). */
    private static final class Waiter {
        final CompletableFuture<Optional<TaskInfo>> future = new CompletableFuture<>();
        final long deadlineNanos;

        Waiter(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** The waiters of one queue, by task id. */
    private static final class QueueWaiters {
        final String key;
        final RedisTaskQueue queue;
        final Map<String, List<Waiter>> byId = new HashMap<>();

        QueueWaiters(String key, RedisTaskQueue queue) {
            this.key = key;
            this.queue = queue;
        }
    }

    /** What the poller reads of one queue: every waited id, and those with a waiter whose time is up. */
    private record Snapshot(RedisTaskQueue queue, List<String> ids, Set<String> due) {
    }

    /** One task as read: no state (unknown task), a state alone, or the whole record. */
    private record Read(TaskState state, TaskInfo info) {
    }
}
