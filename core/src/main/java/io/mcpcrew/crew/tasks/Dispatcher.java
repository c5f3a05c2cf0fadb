package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.tasks.RunningTask.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * writes the progress handlers reported when due ({@link ProgressFlusher}), fails tasks past their timeout, claims
 * for free slots ({@link FairClaimer}) and hands the tasks to the executor, then waits for the next completion. The
 * outcomes Redis confirmed go to the {@link CompletionHandoff} (one executor task per batch). Only this thread
 * touches the pool's bookkeeping, so none of it is locked.
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
    private final CompletionHandoff handoff;
    private final ProgressFlusher progress;
    /** Failures of this turn to hand on, by queue (only for queues whose notices someone hears). */
    private final Map<TaskLeases, List<TaskCompletion>> failureNotices = new LinkedHashMap<>();
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
        this.handoff = new CompletionHandoff(name, executor);
        this.progress = new ProgressFlusher(config.progressInterval(), status, System.nanoTime());
        this.acks = new AckBatcher(name, config.lease(), status, handoff);
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
                handOffFailures();
                batch.clear();
                if (stopRequested) {
                    acks.flush();
                    if (running.isEmpty() && acks.isEmpty() || System.nanoTime() > stopDeadlineNanos) {
                        break;
                    }
                }
                renewer.renewIfDue(System.nanoTime(), running);
                progress.flushIfDue(System.nanoTime(), running);
                enforceTimeouts();
                handOffFailures();
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
                        // nothing to claim, or every slot busy: sleep until a completion, the next poll, renewal or
                        // progress write
                        long now = System.nanoTime();
                        long untilDue = Math.min(renewer.nanosUntilDue(now), progress.nanosUntilDue(now));
                        waitMillis = Math.max(1, Math.min(config.pollInterval().toMillis(),
                                TimeUnit.NANOSECONDS.toMillis(untilDue)));
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
        RunningTask r = new RunningTask(q, t, progress);
        t.progressSink = r;
        running.add(r);
        TaskHandler h = handlers.apply(t.name());
        if (h == null) {
            running.remove(t);
            defer(q, t, "no handler for task name \"" + t.name() + "\" here");
            return;
        }
        try {
            TaskMetrics.QueueMeters m = TaskMetrics.of(q);
            r.future = executor.submit(() -> {
                Completion c;
                long t0 = System.nanoTime();
                try {
                    c = new Completion(r, h.handle(t), null);
                } catch (Throwable e) {
                    c = new Completion(r, null, e);
                }
                if (m != null) {
                    m.handled(System.nanoTime() - t0);
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
                fail(c.running(), c.error(), "recording a failed attempt of " + c.running().task);
            }
        }
    }

    /** Records a failed attempt; the outcome Redis confirmed is noted for the completion notices. */
    private void fail(RunningTask r, Throwable error, String what) {
        long at = System.currentTimeMillis();
        Optional<TaskState> s;
        try {
            s = r.queue.fail(r.task, error);
            status.failed();
        } catch (RedisCrewException e) {
            status.noteError(what, e); // its lease expires: retried
            return;
        }
        TaskMetrics.QueueMeters m = TaskMetrics.of(r.queue);
        if (m != null) {
            (s.isEmpty() ? m.leaseLost : s.get() == TaskState.DEAD ? m.dead : m.retried).increment();
        }
        if (s.isEmpty()) {
            return; // the lease was lost: the task may run elsewhere
        }
        List<TaskCompletion> notices = failureNotices.get(r.queue);
        if (notices == null) {
            notices = CompletionHandoff.collector(r.queue);
            if (notices == null) {
                return;
            }
            failureNotices.put(r.queue, notices);
        }
        TaskCompletion.Outcome outcome = s.get() == TaskState.DEAD ? TaskCompletion.Outcome.DEAD
                : TaskCompletion.Outcome.FAILED_WILL_RETRY;
        notices.add(CompletionHandoff.of(r.task, outcome, null, Backoff.errorMessage(error), at));
    }

    /** Hands this turn's failures on, one batch per queue. */
    private void handOffFailures() {
        if (failureNotices.isEmpty()) {
            return;
        }
        for (Map.Entry<TaskLeases, List<TaskCompletion>> e : failureNotices.entrySet()) {
            handoff.handOff(e.getKey(), e.getValue());
        }
        failureNotices.clear();
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
            fail(r, new TimeoutException("timed out after " + r.task.timeoutMillis + " ms"), "failing a timed-out task");
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
