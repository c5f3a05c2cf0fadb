package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.tasks.RunningTask.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The loop of a {@link TaskWorkerPool}'s dispatcher thread. Each turn it takes the handlers' completions (failures
 * are recorded at once, successes wait in the {@link AckBatcher}), renews leases when due ({@link LeaseRenewer}),
 * fails tasks past their timeout, claims for free slots ({@link FairClaimer}) and hands the tasks to the executor,
 * then waits for the next completion. Only this thread touches the pool's bookkeeping, so none of it is locked.
 *
 * <p>When to claim and ack: while completions keep arriving it waits until half the slots are free before it acks
 * and claims again (one round trip for many tasks); as soon as no completion arrives for {@value #LINGER_MILLIS} ms
 * it acks and claims whatever is free, so slow tasks never leave slots idle for long.
 */
final class Dispatcher implements Runnable {
    static final long LINGER_MILLIS = 2;

    private final String name;
    private final int concurrency;
    private final TaskQueueConfig config;
    private final Function<String, TaskHandler> handlers;
    private final ExecutorService executor;
    private final WorkerStatus status;
    private final RunningTasks running;
    private final AckBatcher acks;
    private final FairClaimer claimer;
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final BiConsumer<TaskLeases, Task> starter = this::start;
    private volatile boolean stopRequested;
    private volatile long stopDeadlineNanos;

    Dispatcher(String name, Supplier<? extends List<? extends TaskLeases>> queueSource,
            Function<String, TaskHandler> handlers, int concurrency, ExecutorService executor, TaskQueueConfig config,
            WorkerStatus status, RunningTasks running) {
        this.name = name;
        this.concurrency = concurrency;
        this.config = config;
        this.handlers = handlers;
        this.executor = executor;
        this.status = status;
        this.running = running;
        this.acks = new AckBatcher(name, config.lease(), status);
        this.claimer = new FairClaimer(queueSource, config, running, acks, status);
    }

    /** Asks the loop to stop: no more claims; running tasks may finish until {@code grace} from now. Once only. */
    synchronized void requestStop(Duration grace) {
        if (!stopRequested) {
            stopDeadlineNanos = System.nanoTime() + grace.toNanos();
            stopRequested = true;
        }
    }

    @Override
    public void run() {
        LeaseRenewer renewer = new LeaseRenewer(name, config.lease(), status, System.nanoTime());
        int threshold = Math.max(1, concurrency / 2);
        boolean quiet = false;
        List<Completion> batch = new ArrayList<>();
        try {
            while (true) {
                if (Thread.interrupted()) {
                    requestStop(config.shutdownGrace()); // interrupted by the container: stop with the configured grace
                }
                completions.drainTo(batch);
                accept(batch);
                batch.clear();
                if (stopRequested) {
                    acks.flush();
                    if (running.isEmpty() && acks.isEmpty() || System.nanoTime() > stopDeadlineNanos) {
                        break;
                    }
                }
                renewer.renewIfDue(System.nanoTime(), running);
                enforceTimeouts();
                int free = concurrency - running.size();
                int claimed = 0;
                boolean claimRound = !stopRequested && free > 0 && (free >= threshold || quiet || running.isEmpty());
                if (claimRound) {
                    claimed = claimer.claim(free, starter);
                }
                if (!acks.isEmpty() && (claimRound || quiet || free >= threshold || acks.overdue(System.nanoTime()))) {
                    acks.flush();
                }
                quiet = false;
                if (claimed == 0) {
                    long waitMillis;
                    if (claimRound || stopRequested || free == 0) {
                        // nothing to claim, or every slot busy: sleep until a completion, the next poll or renewal
                        waitMillis = Math.max(1, Math.min(config.pollInterval().toMillis(),
                                TimeUnit.NANOSECONDS.toMillis(renewer.nanosUntilDue(System.nanoTime()))));
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
            status.died(e);
            releaseRemaining();
            throw e;
        }
    }

    /**
     * Runs a claimed task's handler on the executor; a task the executor refuses goes back to its queue, and one
     * with no handler here (the handlers changed since the claim) is deferred without spending its attempt.
     */
    private void start(TaskLeases q, Task t) {
        RunningTask r = new RunningTask(q, t);
        running.add(r);
        TaskHandler h = handlers.apply(t.name());
        if (h == null) {
            running.remove(t);
            defer(q, t, "no handler for task name \"" + t.name() + "\" here");
            return;
        }
        try {
            r.future = executor.submit(() -> {
                Completion c;
                try {
                    c = new Completion(r, h.handle(t), null);
                } catch (Throwable e) {
                    c = new Completion(r, null, e);
                }
                completions.add(c);
            });
        } catch (RejectedExecutionException e) {
            running.remove(t);
            try {
                q.release(List.of(t));
            } catch (RedisCrewException re) {
                status.noteError("releasing a task the executor refused", re); // its lease expires; runs elsewhere
            }
        }
    }

    /**
     * Gives a task back for later without spending its attempt: claimable again after its backoff base (at least
     * the poll interval), so a full bulkhead is not asked again at once.
     */
    private void defer(TaskLeases q, Task t, String why) {
        Duration delay = Duration.ofMillis(Math.max(t.backoffBaseMillis, config.pollInterval().toMillis()));
        try {
            q.release(List.of(t), delay);
            status.deferred(t, why, delay);
        } catch (RedisCrewException e) {
            status.noteError("deferring " + t + " (" + why + ")", e); // its lease expires: it runs again
        }
    }

    /** Queues successes for the next ack and records failures now, for tasks still running. */
    private void accept(List<Completion> batch) {
        for (Completion c : batch) {
            if (running.remove(c.running().task) == null) {
                continue; // timed out and failed already, or released
            }
            if (c.error() == null) {
                acks.add(c);
            } else if (FaultTolerance.isBulkheadRejection(c.error())) {
                defer(c.running().queue, c.running().task, "the handler's bulkhead is full");
            } else {
                try {
                    c.running().queue.fail(c.running().task, c.error());
                    status.failed();
                } catch (RedisCrewException e) {
                    status.noteError("recording a failed attempt of " + c.running().task, e); // lease expires: retried
                }
            }
        }
    }

    /** Fails the tasks past their timeout and interrupts their handlers. */
    private void enforceTimeouts() {
        List<RunningTask> expired = running.timedOut(System.nanoTime());
        if (expired == null) {
            return;
        }
        for (RunningTask r : expired) {
            running.remove(r.task);
            r.cancel();
            try {
                r.queue.fail(r.task, new TimeoutException("timed out after " + r.task.timeoutMillis + " ms"));
                status.failed();
            } catch (RedisCrewException e) {
                status.noteError("failing a timed-out task", e);
            }
        }
    }

    /** At shutdown: interrupts the handlers still running and gives their tasks back to their queues. */
    private void releaseRemaining() {
        if (running.isEmpty()) {
            return;
        }
        Map<TaskLeases, List<Task>> byQueue = running.byQueue();
        running.cancelAll();
        for (Map.Entry<TaskLeases, List<Task>> e : byQueue.entrySet()) {
            try {
                int n = e.getKey().release(e.getValue());
                TaskWorkerPool.LOG.info(() -> name + ": released " + n + " unfinished task(s) of " + e.getKey()
                        + " at shutdown");
            } catch (RedisCrewException ex) {
                status.noteError("releasing tasks at shutdown (their leases expire instead)", ex);
            }
        }
        running.clear();
    }
}
