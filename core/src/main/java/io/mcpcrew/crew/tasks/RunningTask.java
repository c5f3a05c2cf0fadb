package io.mcpcrew.crew.tasks;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A claimed task being run by a {@link TaskWorkerPool}: its queue, when it started, its handler's future, and the
 * progress its handler reported that is not written yet.
 */
final class RunningTask {
    final TaskLeases queue;
    final Task task;
    final long startedNanos = System.nanoTime();
    /** Set once the executor accepted the handler; null before. */
    volatile Future<?> future;
    /** The latest progress reported and not yet written (set by the handler's thread, taken by the dispatcher). */
    private final AtomicReference<TaskProgress> unwritten = new AtomicReference<>();

    RunningTask(TaskLeases queue, Task task) {
        this.queue = queue;
        this.task = task;
    }

    /** True once the task has run longer than its timeout (never without one). */
    boolean timedOut(long now) {
        return task.timeoutMillis > 0 && now - startedNanos > TimeUnit.MILLISECONDS.toNanos(task.timeoutMillis);
    }

    /** Keeps {@code p} as the latest progress to write (replacing one not written yet). */
    void reported(TaskProgress p) {
        unwritten.set(p);
    }

    /** The latest progress not written yet, now taken; null if none. */
    TaskProgress takeProgress() {
        return unwritten.getAndSet(null);
    }

    /** Interrupts the handler if it runs. */
    void cancel() {
        Future<?> f = future;
        if (f != null) {
            f.cancel(true);
        }
    }

    /** A handler's outcome, handed from the executor thread to the dispatcher: a result, or an error. */
    record Completion(RunningTask running, String result, Throwable error) {
    }
}
