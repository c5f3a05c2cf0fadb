package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.RedisCrewException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A pool of workers serving one or many queues with one concurrency limit. One dispatcher thread claims tasks
 * and hands them to the executor; it acknowledges finished tasks in the same script as the next claim
 * ({@link TaskLeases#ackAndClaim}), renews the leases of running ones every third of the lease, and fails those
 * that exceed their timeout.
 *
 * <p><b>Batching</b>: while completions keep arriving, the dispatcher waits until half the slots are free before
 * it acks and claims again (one round trip for many tasks); as soon as no completion arrives for
 * {@value #LINGER_MILLIS} ms it acks and claims whatever is free, so slow tasks never leave slots idle for long.
 *
 * <p><b>Fairness</b>: each round visits the queues that have work in turn, starting one queue further each time,
 * and gives each at most its share of the free slots ({@code free / queues with work}, at least one). A queue
 * with 100,000 waiting tasks therefore gets no more of the pool than one with 10 while both have work. A queue
 * found empty is asked again after the poll interval, then less often while it stays empty (up to ten times the
 * interval).
 *
 * <p><b>Tenant share</b>: a tenant holds at most {@code tenantMaxShare} slots at once, over all its queues. The
 * dispatcher does not claim for a tenant at its cap (claimed tasks would wait unstarted while their leases run), so
 * with a cap below the concurrency one tenant's long tasks leave the other slots to other tenants: their tasks wait
 * for a free slot, never for that tenant's tasks to finish (as long as the tenants at their cap leave a slot free).
 *
 * <p><b>Shutdown</b> ({@link #stop}): no more claims; running tasks may finish within the grace period and are
 * acknowledged; the rest are released back to their queue and interrupted.
 */
public final class TaskWorkerPool implements TaskWorker {
    private static final Logger LOG = Logger.getLogger(TaskWorkerPool.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String name;
    private final Supplier<? extends List<? extends TaskLeases>> queueSource;
    private final Function<String, TaskHandler> handlers;
    private final int concurrency;
    private final int tenantMaxShare;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final ThreadFactory threadFactory;
    private final TaskQueueConfig config;

    static final long LINGER_MILLIS = 2;
    static final long MAX_ACK_DELAY_MILLIS = 50;
    static final long IDLE_BACKOFF_FACTOR = 10;

    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Map<Task, Running> inFlight = new IdentityHashMap<>();
    /** Slots each tenant holds now (tasks in {@link #inFlight}); no entry: none. */
    private final Map<String, Integer> heldByTenant = new HashMap<>();
    /** When an empty queue is asked again (System.nanoTime), and how many times in a row it was found empty. */
    private final Map<TaskLeases, long[]> nextCheck = new HashMap<>();
    private final Map<TaskLeases, List<Completion>> pendingAcks = new LinkedHashMap<>();
    private long oldestAckNanos;
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile int inFlightCount;
    private volatile boolean alive;
    private volatile boolean stopRequested;
    private volatile long stopDeadlineNanos;
    private volatile String lastError = "";
    private Thread dispatcher;
    private List<TaskLeases> queues = List.of();
    private long queuesReadAt;
    private int cursor;

    /** A pool with no cap per tenant (every slot may go to one tenant): for one queue, or queues of one tenant. */
    public TaskWorkerPool(String name, Supplier<? extends List<? extends TaskLeases>> queueSource,
            Function<String, TaskHandler> handlers, int concurrency, ExecutorService executor, ThreadFactory threadFactory, TaskQueueConfig config) {
        this(name, queueSource, handlers, concurrency, concurrency, executor, threadFactory, config);
    }

    /**
     * @param queueSource    the queues to serve (their worker protocol: {@link TenantTaskQueues#leases}), asked
     *                       again every {@code redis.crew.tasks.workers.queue-refresh}
     * @param handlers       the handler of a task name (null: none; the attempt fails)
     * @param tenantMaxShare the most slots one tenant holds at once (1 to {@code concurrency}; see the class comment)
     * @param executor       runs the handlers (null: a private pool of {@code concurrency} daemon threads)
     * @param threadFactory  makes the dispatcher thread (null: a daemon thread)
     */
    public TaskWorkerPool(String name, Supplier<? extends List<? extends TaskLeases>> queueSource,
            Function<String, TaskHandler> handlers, int concurrency, int tenantMaxShare, ExecutorService executor, ThreadFactory threadFactory,
            TaskQueueConfig config) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        if (tenantMaxShare < 1 || tenantMaxShare > concurrency) {
            throw new IllegalArgumentException("tenantMaxShare must be from 1 to the concurrency (" + concurrency + "): "
                    + tenantMaxShare);
        }
        this.name = name;
        this.queueSource = queueSource;
        this.handlers = handlers;
        this.concurrency = concurrency;
        this.tenantMaxShare = tenantMaxShare;
        this.config = config;
        this.ownsExecutor = executor == null;
        this.executor = executor != null ? executor : Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, name + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.threadFactory = threadFactory != null ? threadFactory : r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };
    }

    /** Starts the dispatcher thread. */
    public synchronized void start() {
        if (dispatcher != null) {
            throw new IllegalStateException(name + " already started");
        }
        alive = true;
        dispatcher = threadFactory.newThread(this::run);
        dispatcher.setName(name + "-dispatcher");
        dispatcher.start();
    }

    @Override
    public boolean isAlive() {
        return alive;
    }

    @Override
    public int inFlight() {
        return inFlightCount;
    }

    @Override
    public long succeeded() {
        return succeeded.sum();
    }

    @Override
    public long failed() {
        return failed.sum();
    }

    @Override
    public String lastError() {
        return lastError;
    }

    public int concurrency() {
        return concurrency;
    }

    /** The most slots one tenant holds at once. */
    public int tenantMaxShare() {
        return tenantMaxShare;
    }

    @Override
    public void stop(Duration grace) {
        Thread d;
        synchronized (this) {
            d = dispatcher;
            if (!stopRequested) {
                stopDeadlineNanos = System.nanoTime() + grace.toNanos();
                stopRequested = true;
            }
        }
        if (d != null) {
            d.interrupt(); // wakes the dispatcher from its wait; it handles the interrupt as a stop signal
            try {
                d.join(grace.toMillis() + config.lease().toMillis() + 10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop(config.shutdownGrace());
    }

    // ---- the dispatcher ----

    private void run() {
        long lease = config.lease().toMillis();
        long renewEveryNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, lease / 3));
        long nextRenew = System.nanoTime() + renewEveryNanos;
        int threshold = Math.max(1, concurrency / 2);
        boolean quiet = false;
        List<Completion> batch = new ArrayList<>();
        try {
            while (true) {
                if (Thread.interrupted() && !stopRequested) {
                    stopRequested = true; // interrupted by the container: stop as if asked, with the configured grace
                    stopDeadlineNanos = System.nanoTime() + config.shutdownGrace().toNanos();
                }
                completions.drainTo(batch);
                accept(batch);
                batch.clear();
                if (stopRequested) {
                    flushAcks();
                    if (inFlight.isEmpty() && pendingAcks.isEmpty() || System.nanoTime() > stopDeadlineNanos) {
                        break;
                    }
                }
                long now = System.nanoTime();
                if (now >= nextRenew) {
                    renewLeases();
                    nextRenew = now + renewEveryNanos;
                }
                enforceTimeouts();
                int free = concurrency - inFlight.size();
                int claimed = 0;
                boolean claimRound = !stopRequested && free > 0 && (free >= threshold || quiet || inFlight.isEmpty());
                if (claimRound) {
                    claimed = claimRound(free);
                }
                if (!pendingAcks.isEmpty() && (claimRound || quiet || free >= threshold
                        || System.nanoTime() - oldestAckNanos > TimeUnit.MILLISECONDS.toNanos(MAX_ACK_DELAY_MILLIS))) {
                    flushAcks();
                }
                quiet = false;
                if (claimed == 0) {
                    long waitMillis;
                    if (claimRound || stopRequested || free == 0) {
                        // nothing to claim, or every slot busy: sleep until a completion, the next poll or renewal
                        waitMillis = Math.max(1, Math.min(config.pollInterval().toMillis(),
                                TimeUnit.NANOSECONDS.toMillis(nextRenew - System.nanoTime())));
                    } else {
                        waitMillis = LINGER_MILLIS; // completions are arriving: gather a bigger batch
                    }
                    try {
                        Completion c = completions.poll(waitMillis, TimeUnit.MILLISECONDS);
                        if (c != null) {
                            batch.add(c);
                        } else {
                            quiet = !claimRound;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            releaseRemaining();
        } catch (RuntimeException | Error e) {
            lastError = e.toString();
            LOG.log(Level.SEVERE, name + ": dispatcher died", e);
            releaseRemaining();
            throw e;
        } finally {
            alive = false;
        }
    }

    /** Claims for the free slots, visiting queues with work in turn (see the class comment). */
    private int claimRound(int free) {
        long now = System.nanoTime();
        if (now - queuesReadAt > config.queueRefresh().toNanos() || queuesReadAt == 0) {
            try {
                queues = List.copyOf(queueSource.get());
                queuesReadAt = now == 0 ? 1 : now;
            } catch (RedisCrewException e) {
                noteError("reading the queues to serve", e);
            }
        }
        int n = queues.size();
        if (n == 0) {
            return 0;
        }
        List<TaskLeases> eligible = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TaskLeases q = queues.get((cursor + i) % n);
            long[] at = nextCheck.get(q);
            if ((at == null || at[0] - now <= 0) && tenantRoom(q) > 0) {
                eligible.add(q); // a queue of a tenant at its cap is not asked (nor backed off: it may have work)
            }
        }
        cursor = (cursor + 1) % n;
        int claimed = 0;
        for (int i = 0; i < eligible.size() && free > 0; i++) {
            TaskLeases q = eligible.get(i);
            int room = tenantRoom(q); // less than at the start if another queue of this tenant claimed this round
            if (room <= 0) {
                continue;
            }
            int share = Math.min(Math.min(config.claimBatch(), room), Math.max(1, free / (eligible.size() - i)));
            List<Task> got;
            List<Completion> acks = pendingAcks.remove(q);
            try {
                got = send(q, acks, share);
            } catch (RedisCrewException e) {
                noteError("claiming from " + q, e);
                backOff(q, now);
                continue;
            }
            if (got.isEmpty()) {
                backOff(q, now);
                continue;
            }
            nextCheck.remove(q);
            for (Task t : got) {
                dispatch(q, t);
            }
            free -= got.size();
            claimed += got.size();
        }
        return claimed;
    }

    /**
     * An empty queue is asked again after the poll interval, doubling each time it is still empty up to
     * {@value #IDLE_BACKOFF_FACTOR} times the interval: a thousand idle tenants' queues cost a few scripts a
     * second, not thousands, and a queue that gets work is served again within that bound.
     */
    private void backOff(TaskLeases q, long now) {
        long[] at = nextCheck.computeIfAbsent(q, k -> new long[2]);
        long poll = config.pollInterval().toNanos();
        long delay = Math.min(poll * IDLE_BACKOFF_FACTOR, poll << Math.min(at[1], 10));
        at[1]++;
        at[0] = now + delay;
    }

    /** One ackAndClaim round trip; on a Redis error the acks go back to be sent again. */
    private List<Task> send(TaskLeases q, List<Completion> acks, int claim) {
        List<Task> tasks = new ArrayList<>(acks == null ? 0 : acks.size());
        List<String> results = new ArrayList<>(tasks.size());
        if (acks != null) {
            for (Completion c : acks) {
                tasks.add(c.running.task);
                results.add(c.result);
            }
        }
        ClaimBatch b;
        try {
            b = q.ackAndClaim(tasks, results, claim, config.lease());
        } catch (RedisCrewException e) {
            if (acks != null) {
                long leaseNanos = config.lease().toNanos();
                for (Completion c : acks) {
                    if (System.nanoTime() - c.running.startedNanos < leaseNanos) {
                        queueAck(c); // sent again next round while its lease may still hold
                    }
                }
            }
            throw e;
        }
        for (Boolean ok : b.acked()) {
            if (ok) {
                succeeded.increment();
            } else {
                LOG.warning(() -> name + ": a task of " + q + " finished after its lease was lost; it may run again "
                        + "(at-least-once)");
            }
        }
        return b.claimed();
    }

    private void flushAcks() {
        if (pendingAcks.isEmpty()) {
            return;
        }
        List<TaskLeases> qs = new ArrayList<>(pendingAcks.keySet());
        for (TaskLeases q : qs) {
            try {
                send(q, pendingAcks.remove(q), 0);
            } catch (RedisCrewException e) {
                noteError("acknowledging tasks of " + q, e);
            }
        }
    }

    private void queueAck(Completion c) {
        if (pendingAcks.isEmpty()) {
            oldestAckNanos = System.nanoTime();
        }
        pendingAcks.computeIfAbsent(c.running.queue, k -> new ArrayList<>()).add(c);
    }

    /** Slots the tenant of {@code q} may still take. */
    private int tenantRoom(TaskLeases q) {
        return tenantMaxShare - heldByTenant.getOrDefault(q.tenant(), 0);
    }

    private void addInFlight(Running r) {
        inFlight.put(r.task, r);
        heldByTenant.merge(r.queue.tenant(), 1, Integer::sum);
        inFlightCount = inFlight.size();
    }

    /** Removes a task from the running set; null if it was not there (already failed, timed out or released). */
    private Running removeInFlight(Task t) {
        Running r = inFlight.remove(t);
        if (r != null) {
            heldByTenant.computeIfPresent(r.queue.tenant(), (k, held) -> held == 1 ? null : held - 1);
        }
        inFlightCount = inFlight.size();
        return r;
    }

    private void dispatch(TaskLeases q, Task t) {
        Running r = new Running(q, t);
        addInFlight(r);
        TaskHandler h = handlers.apply(t.name());
        try {
            r.future = executor.submit(() -> {
                Completion c;
                try {
                    if (h == null) {
                        throw new IllegalStateException("no handler is registered for task name \"" + t.name() + "\"");
                    }
                    c = new Completion(r, h.handle(t), null);
                } catch (Throwable e) {
                    c = new Completion(r, null, e);
                }
                completions.add(c);
            });
        } catch (RejectedExecutionException e) {
            removeInFlight(t);
            try {
                q.release(List.of(t));
            } catch (RedisCrewException re) {
                noteError("releasing a task the executor refused", re); // its lease expires and it runs elsewhere
            }
        }
    }

    /** Queues successes for the next ack and records failures now, for tasks still in flight. */
    private void accept(List<Completion> batch) {
        for (Completion c : batch) {
            if (removeInFlight(c.running.task) == null) {
                continue; // timed out and failed already, or released
            }
            if (c.error == null) {
                queueAck(c);
            } else {
                try {
                    c.running.queue.fail(c.running.task, c.error);
                    failed.increment();
                } catch (RedisCrewException e) {
                    noteError("recording a failed attempt of " + c.running.task, e); // the lease expires: retried
                }
            }
        }
        inFlightCount = inFlight.size();
    }

    private void renewLeases() {
        Map<TaskLeases, List<Task>> byQueue = new LinkedHashMap<>();
        for (Running r : inFlight.values()) {
            byQueue.computeIfAbsent(r.queue, k -> new ArrayList<>()).add(r.task);
        }
        for (Map.Entry<TaskLeases, List<Task>> e : byQueue.entrySet()) {
            try {
                List<Boolean> ok = e.getKey().renew(e.getValue(), config.lease());
                for (int i = 0; i < ok.size(); i++) {
                    if (!ok.get(i)) {
                        Task t = e.getValue().get(i);
                        LOG.warning(() -> name + ": lost the lease of " + t + " (it expired): it may run elsewhere");
                    }
                }
            } catch (RedisCrewException ex) {
                noteError("renewing leases", ex);
            }
        }
    }

    private void enforceTimeouts() {
        long now = System.nanoTime();
        List<Running> expired = null;
        for (Running r : inFlight.values()) {
            if (r.task.timeoutMillis > 0 && now - r.startedNanos > TimeUnit.MILLISECONDS.toNanos(r.task.timeoutMillis)) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(r);
            }
        }
        if (expired == null) {
            return;
        }
        for (Running r : expired) {
            removeInFlight(r.task);
            if (r.future != null) {
                r.future.cancel(true);
            }
            try {
                r.queue.fail(r.task, new TimeoutException("timed out after " + r.task.timeoutMillis + " ms"));
                failed.increment();
            } catch (RedisCrewException e) {
                noteError("failing a timed-out task", e);
            }
        }
        inFlightCount = inFlight.size();
    }

    private void releaseRemaining() {
        if (inFlight.isEmpty()) {
            return;
        }
        Map<TaskLeases, List<Task>> byQueue = new LinkedHashMap<>();
        for (Running r : inFlight.values()) {
            byQueue.computeIfAbsent(r.queue, k -> new ArrayList<>()).add(r.task);
            if (r.future != null) {
                r.future.cancel(true);
            }
        }
        for (Map.Entry<TaskLeases, List<Task>> e : byQueue.entrySet()) {
            try {
                int n = e.getKey().release(e.getValue());
                LOG.info(() -> name + ": released " + n + " unfinished task(s) of " + e.getKey() + " at shutdown");
            } catch (RedisCrewException ex) {
                noteError("releasing tasks at shutdown (their leases expire instead)", ex);
            }
        }
        inFlight.clear();
        heldByTenant.clear();
        inFlightCount = 0;
    }

    private void noteError(String what, RedisCrewException e) {
        String msg = what + ": " + e.getMessage();
        if (!msg.equals(lastError)) {
            LOG.log(Level.WARNING, name + ": " + msg);
        }
        lastError = msg;
    }

    /** A claimed task being run. */
    private static final class Running {
        final TaskLeases queue;
        final Task task;
        final long startedNanos = System.nanoTime();
        volatile Future<?> future;

        Running(TaskLeases queue, Task task) {
            this.queue = queue;
            this.task = task;
        }
    }

    /** A handler's outcome, handed from the executor thread to the dispatcher. */
    private static final class Completion {
        final Running running;
        final String result;
        final Throwable error;

        Completion(Running running, String result, Throwable error) {
            this.running = running;
            this.result = result;
            this.error = error;
        }
    }
}
