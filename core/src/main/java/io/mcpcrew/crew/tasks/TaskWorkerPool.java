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
 * (in batches, one script per queue and round), hands them to the executor, acknowledges finished ones in
 * batches, renews the leases of running ones every third of the lease, and fails those that exceed their timeout.
 *
 * <p><b>Fairness</b>: each round visits the queues that have work in turn, starting one queue further each time,
 * and gives each at most its share of the free slots ({@code free / queues with work}, at least one). A queue
 * with 100,000 waiting tasks therefore gets no more of the pool than one with 10 while both have work. A queue
 * found empty is asked again after the poll interval.
 *
 * <p><b>Shutdown</b> ({@link #stop}): no more claims; running tasks may finish within the grace period and are
 * acknowledged; the rest are released back to their queue and interrupted.
 */
public final class TaskWorkerPool implements TaskWorker {
    private static final Logger LOG = Logger.getLogger(TaskWorkerPool.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String name;
    private final Supplier<List<TaskQueue>> queueSource;
    private final Function<String, TaskHandler> handlers;
    private final int concurrency;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final ThreadFactory threadFactory;
    private final TaskQueueConfig config;

    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Map<Task, Running> inFlight = new IdentityHashMap<>();
    private final Map<TaskQueue, Long> nextCheck = new HashMap<>();
    private final List<Completion> unacked = new ArrayList<>();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile int inFlightCount;
    private volatile boolean alive;
    private volatile boolean stopRequested;
    private volatile long stopDeadlineNanos;
    private volatile String lastError = "";
    private Thread dispatcher;
    private List<TaskQueue> queues = List.of();
    private long queuesReadAt;
    private int cursor;

    /**
     * @param queueSource    the queues to serve, asked again every {@code redis.crew.tasks.workers.queue-refresh}
     * @param handlers       the handler of a task name (null: none; the attempt fails)
     * @param executor       runs the handlers (null: a private pool of {@code concurrency} daemon threads)
     * @param threadFactory  makes the dispatcher thread (null: a daemon thread)
     */
    public TaskWorkerPool(String name, Supplier<List<TaskQueue>> queueSource, Function<String, TaskHandler> handlers,
            int concurrency, ExecutorService executor, ThreadFactory threadFactory, TaskQueueConfig config) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        this.name = name;
        this.queueSource = queueSource;
        this.handlers = handlers;
        this.concurrency = concurrency;
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
        List<Completion> batch = new ArrayList<>();
        try {
            while (true) {
                if (Thread.interrupted() && !stopRequested) {
                    stopRequested = true; // interrupted by the container: stop as if asked, with the configured grace
                    stopDeadlineNanos = System.nanoTime() + config.shutdownGrace().toNanos();
                }
                completions.drainTo(batch);
                settle(batch);
                batch.clear();
                if (stopRequested && (inFlight.isEmpty() && unacked.isEmpty() || System.nanoTime() > stopDeadlineNanos)) {
                    break;
                }
                long now = System.nanoTime();
                if (now >= nextRenew) {
                    renewLeases();
                    nextRenew = now + renewEveryNanos;
                }
                enforceTimeouts();
                int claimed = stopRequested ? 0 : claimRound();
                if (claimed == 0) {
                    long waitMillis = stopRequested || inFlight.size() >= concurrency
                            ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextRenew - System.nanoTime()))
                            : config.pollInterval().toMillis();
                    waitMillis = Math.min(waitMillis, config.pollInterval().toMillis() * 5);
                    try {
                        Completion c = completions.poll(waitMillis, TimeUnit.MILLISECONDS);
                        if (c != null) {
                            batch.add(c);
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
    private int claimRound() {
        int free = concurrency - inFlight.size();
        if (free <= 0) {
            return 0;
        }
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
        List<TaskQueue> eligible = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TaskQueue q = queues.get((cursor + i) % n);
            Long at = nextCheck.get(q);
            if (at == null || at - now <= 0) {
                eligible.add(q);
            }
        }
        cursor = (cursor + 1) % n;
        int claimed = 0;
        for (int i = 0; i < eligible.size() && free > 0; i++) {
            TaskQueue q = eligible.get(i);
            int share = Math.min(config.claimBatch(), Math.max(1, free / (eligible.size() - i)));
            List<Task> got;
            try {
                got = q.claim(share, config.lease());
            } catch (RedisCrewException e) {
                noteError("claiming from " + q, e);
                nextCheck.put(q, now + config.pollInterval().toNanos());
                continue;
            }
            if (got.isEmpty()) {
                nextCheck.put(q, now + config.pollInterval().toNanos());
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

    private void dispatch(TaskQueue q, Task t) {
        Running r = new Running(q, t);
        inFlight.put(t, r);
        inFlightCount = inFlight.size();
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
            inFlight.remove(t);
            inFlightCount = inFlight.size();
            try {
                q.release(List.of(t));
            } catch (RedisCrewException re) {
                noteError("releasing a task the executor refused", re); // its lease expires and it runs elsewhere
            }
        }
    }

    /** Acknowledges successes (one script per queue) and records failures, for tasks still in flight. */
    private void settle(List<Completion> batch) {
        Map<TaskQueue, List<Completion>> acks = new LinkedHashMap<>();
        List<Completion> retryAcks = new ArrayList<>(unacked);
        unacked.clear();
        for (Completion c : retryAcks) {
            acks.computeIfAbsent(c.running.queue, k -> new ArrayList<>()).add(c);
        }
        for (Completion c : batch) {
            if (inFlight.remove(c.running.task) == null) {
                continue; // timed out and failed already, or released
            }
            if (c.error == null) {
                acks.computeIfAbsent(c.running.queue, k -> new ArrayList<>()).add(c);
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
        long leaseNanos = config.lease().toNanos();
        for (Map.Entry<TaskQueue, List<Completion>> e : acks.entrySet()) {
            List<Task> tasks = new ArrayList<>(e.getValue().size());
            List<String> results = new ArrayList<>(e.getValue().size());
            for (Completion c : e.getValue()) {
                tasks.add(c.running.task);
                results.add(c.result);
            }
            try {
                List<Boolean> ok = e.getKey().ack(tasks, results);
                for (int i = 0; i < ok.size(); i++) {
                    if (ok.get(i)) {
                        succeeded.increment();
                    } else {
                        LOG.warning(() -> name + ": a task finished after its lease was lost; it may run again "
                                + "(at-least-once)");
                    }
                }
            } catch (RedisCrewException ex) {
                noteError("acknowledging " + tasks.size() + " task(s)", ex);
                for (Completion c : e.getValue()) {
                    if (System.nanoTime() - c.running.startedNanos < leaseNanos) {
                        unacked.add(c); // retried next round while its lease may still hold
                    }
                }
            }
        }
    }

    private void renewLeases() {
        Map<TaskQueue, List<Task>> byQueue = new LinkedHashMap<>();
        for (Running r : inFlight.values()) {
            byQueue.computeIfAbsent(r.queue, k -> new ArrayList<>()).add(r.task);
        }
        for (Map.Entry<TaskQueue, List<Task>> e : byQueue.entrySet()) {
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
            inFlight.remove(r.task);
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
        Map<TaskQueue, List<Task>> byQueue = new LinkedHashMap<>();
        for (Running r : inFlight.values()) {
            byQueue.computeIfAbsent(r.queue, k -> new ArrayList<>()).add(r.task);
            if (r.future != null) {
                r.future.cancel(true);
            }
        }
        for (Map.Entry<TaskQueue, List<Task>> e : byQueue.entrySet()) {
            try {
                int n = e.getKey().release(e.getValue());
                LOG.info(() -> name + ": released " + n + " unfinished task(s) of " + e.getKey() + " at shutdown");
            } catch (RedisCrewException ex) {
                noteError("releasing tasks at shutdown (their leases expire instead)", ex);
            }
        }
        inFlight.clear();
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
        final TaskQueue queue;
        final Task task;
        final long startedNanos = System.nanoTime();
        volatile Future<?> future;

        Running(TaskQueue queue, Task task) {
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
