package io.mcpcrew.crew.tasks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A claimed task being run by a {@link TaskWorkerPool}: its queue, when it started, its handler's future, and the
 * progress its handler reported that is not written yet (it is the task's {@link ProgressSink} while it runs: the
 * handler's thread keeps the latest value here and tells the {@link ProgressFlusher}).
 */
final class RunningTask implements ProgressSink {
    private static final VarHandle UNWRITTEN;

    static {
        try {
            UNWRITTEN = MethodHandles.lookup().findVarHandle(RunningTask.class, "unwritten", TaskProgress.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final TaskLeases queue;
    final Task task;
    final long startedNanos = System.nanoTime();
    /** Set once the executor accepted the handler; null before. */
    volatile Future<?> future;
    private final ProgressFlusher flusher;
    /** The latest progress reported and not yet written (set by the handler's thread, taken by the dispatcher). */
    @SuppressWarnings("unused") // through UNWRITTEN
    private volatile TaskProgress unwritten;

    RunningTask(TaskLeases queue, Task task, ProgressFlusher flusher) {
        this.queue = queue;
        this.task = task;
        this.flusher = flusher;
    }

    /** True once the task has run longer than its timeout (never without one). */
    boolean timedOut(long now) {
        return task.timeoutMillis > 0 && now - startedNanos > TimeUnit.MILLISECONDS.toNanos(task.timeoutMillis);
    }

    /** Keeps {@code p} as the latest progress to write (replacing one not written yet); on the handler's thread. */
    @Override
    public void report(Task t, TaskProgress p) {
        unwritten = p;
        flusher.pending(); // after the value: a flush that clears the flag first still finds the value
    }

    /** The latest progress not written yet, now taken; null if none. */
    TaskProgress takeProgress() {
        return (TaskProgress) UNWRITTEN.getAndSet(this, (TaskProgress) null);
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
