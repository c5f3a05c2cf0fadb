package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.RedisCrewException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;

/**
 * What a {@link TaskWorkerPool} reports ({@link TaskWorker#succeeded}, {@link TaskWorker#failed},
 * {@link TaskWorker#lastError}): written by its dispatcher thread, read by any thread.
 */
final class WorkerStatus {
    private final String pool;
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder deferred = new LongAdder();
    private volatile String lastError = "";

    WorkerStatus(String pool) {
        this.pool = pool;
    }

    void succeeded() {
        succeeded.increment();
    }

    void failed() {
        failed.increment();
    }

    /** Records a task given back for later, its attempt not spent. */
    void deferred(Task t, String why, java.time.Duration delay) {
        deferred.increment();
        TaskWorkerPool.LOG.fine(() -> pool + ": " + t + " deferred by " + delay.toMillis() + " ms: " + why);
    }

    long deferredCount() {
        return deferred.sum();
    }

    long succeededCount() {
        return succeeded.sum();
    }

    long failedCount() {
        return failed.sum();
    }

    String lastError() {
        return lastError;
    }

    /** Records a Redis error met while doing {@code what}; logged once while the same error repeats. */
    void noteError(String what, RedisCrewException e) {
        String msg = what + ": " + e.getMessage();
        if (!msg.equals(lastError)) {
            TaskWorkerPool.LOG.log(Level.WARNING, pool + ": " + msg);
        }
        lastError = msg;
    }

    /** Records what stopped the dispatcher thread. */
    void died(Throwable e) {
        lastError = e.toString();
        TaskWorkerPool.LOG.log(Level.SEVERE, pool + ": dispatcher died", e);
    }
}
