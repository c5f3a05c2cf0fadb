package io.mcpcrew.crew.tasks;

import java.time.Duration;

/** A running worker (one queue's, or a {@link TaskWorkerPool} over many). */
public interface TaskWorker extends AutoCloseable {

    /** True while the dispatcher thread runs. */
    boolean isAlive();

    /** Tasks claimed and not yet acknowledged. */
    int inFlight();

    /** Tasks this worker completed successfully. */
    long succeeded();

    /** Attempts this worker recorded as failed. */
    long failed();

    /**
     * Tasks this worker gave back for later without spending their attempt: the handler's MicroProfile
     * {@code @Bulkhead} was full, or no handler for the name was at hand.
     */
    long deferred();

    /** The last error the dispatcher met (Redis unavailable, ...), or empty. */
    String lastError();

    /**
     * Graceful shutdown: stops claiming, lets running tasks finish and acknowledges them for up to {@code grace},
     * then gives the rest back to the queue (their attempt not counted) and interrupts them. Blocks until done.
     */
    void stop(Duration grace);

    /** {@link #stop} with the configured grace period. */
    @Override
    void close();
}
