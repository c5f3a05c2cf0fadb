package io.mcpcrew.crew.health;

import io.mcpcrew.crew.concurrency.CrewThreads;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A read that a caller waits for at most {@code bound}: it runs on a thread of its own, one at a time. A call while a
 * read is still running (one that outlasted an earlier caller's bound, e.g. a Cluster client retrying a dead master)
 * waits for that read instead of starting another, so slow reads never pile up. Empty when the read did not finish in
 * time; it goes on, and once done its result answers the next caller (which starts no read of its own then: on a
 * busy machine where every read outlasts the bound, callers still get answers, each from the read the caller before
 * them started).
 *
 * @param <T> what the read gives
 */
final class BoundedRead<T> implements AutoCloseable {
    private final Supplier<T> read;
    private final Duration bound;
    private final ExecutorService thread;
    private Future<T> running;
    /** Whether a caller got {@link #running}'s result; until then a finished read answers the next caller. */
    private boolean delivered;

    /** Makes its thread now, on the caller's thread (see {@link CrewThreads#startedPool}). */
    BoundedRead(Supplier<T> read, Duration bound) {
        this.read = read;
        this.bound = bound;
        this.thread = CrewThreads.startedPool("readiness", 1);
    }

    Duration bound() {
        return bound;
    }

    /** The read's result, or empty if it did not finish within the bound. */
    Optional<T> get() {
        Future<T> f = start();
        try {
            T result = f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            delivered(f);
            return Optional.of(result);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            delivered(f);
            throw new IllegalStateException(e.getCause());
        }
    }

    private synchronized void delivered(Future<T> f) {
        if (f == running) {
            delivered = true;
        }
    }

    private synchronized Future<T> start() {
        if (running == null || running.isDone() && delivered) {
            running = thread.submit(read::get);
            delivered = false;
        }
        return running;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
