package io.mcpcrew.crew.tasks;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A claimed task being run by a {@link TaskWorkerPool}: its queue, when it started, and its handler's future. */
final class RunningTask {
    final TaskLeases queue;
    final Task task;
    final long startedNanos = System.nanoTime();
    /** Set once the executor accepted the handler; null before. */
    volatile Future<?> future;

    RunningTask(TaskLeases queue, Task task) {
        this.queue = queue;
        this.task = task;
    }

    /** True once the task has run longer than its timeout (never without one). */
    boolean timedOut(long now) {
        return task.timeoutMillis > 0 && now - startedNanos > TimeUnit.MILLISECONDS.toNanos(task.timeoutMillis);
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
