package io.mcpcrew.crew.health;

import io.mcpcrew.crew.concurrency.CrewThreads;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A read that a caller waits for at most {@code bound}: it runs on a thread of its own, one at a time. A call while a
 * read is still running (one that outlasted an earlier caller's bound, e.g. a Cluster client retrying a dead master)
 * waits for that read instead of starting another, so slow reads never pile up. Empty when the read did not finish in
 * time; it goes on and its result answers the next caller if it is done by then.
 *
 * @param <T> what the read gives
 */
final class BoundedRead<T> implements AutoCloseable {
    private final Supplier<T> read;
    private final Duration bound;
    private ExecutorService thread;
    private CompletableFuture<T> running;

    BoundedRead(Supplier<T> read, Duration bound) {
        this.read = read;
        this.bound = bound;
    }

    Duration bound() {
        return bound;
    }

    /** The read's result, or empty if it did not finish within the bound. */
    Optional<T> get() {
        CompletableFuture<T> f = start();
        try {
            return Optional.of(f.get(bound.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private synchronized CompletableFuture<T> start() {
        if (running == null || running.isDone()) {
            if (thread == null) {
                thread = CrewThreads.pool("readiness", 1);
            }
            running = CompletableFuture.supplyAsync(read, thread);
        }
        return running;
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
