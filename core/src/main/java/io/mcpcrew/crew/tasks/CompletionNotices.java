package io.mcpcrew.crew.tasks;

import jakarta.enterprise.event.Event;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who hears of the tasks this node's worker pools finish ({@link TaskCompletion}): the waiters of
 * {@link TaskQueue#await} on this node ({@link TaskWaiters}, answered at once rather than at their next poll), the CDI
 * observers of {@code TaskCompletion} (through the {@link RedisTaskQueues} bean's {@link Event}; none outside a
 * container or without observers) and the listeners of {@link TaskQueues#addCompletionListener}. A pool asks
 * {@link #wanted()} before it builds notices (nobody to tell: nothing built, nothing handed on) and calls
 * {@link #deliver} with each batch on a thread of its executor. A listener or observer that throws is logged; the
 * others still hear of the batch.
 */
final class CompletionNotices {
    private static final Logger LOG = Logger.getLogger(CompletionNotices.class.getName());

    private final Event<TaskCompletion> events;
    private final TaskWaiters waiters;
    private final List<Consumer<TaskCompletion>> listeners = new CopyOnWriteArrayList<>();

    /** @param events the CDI event to fire, or null (no container, or no observer of {@code TaskCompletion}) */
    CompletionNotices(Event<TaskCompletion> events, TaskWaiters waiters) {
        this.events = events;
        this.waiters = waiters;
    }

    /** True if anyone would hear of a completion now: the pools build and hand on notices only then. */
    boolean wanted() {
        return events != null || !listeners.isEmpty() || waiters.any();
    }

    void addListener(Consumer<TaskCompletion> listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    void removeListener(Consumer<TaskCompletion> listener) {
        listeners.remove(listener);
    }

    /** Tells everyone of a batch of completions (in order), on the caller's thread. */
    void deliver(List<TaskCompletion> batch) {
        try {
            waiters.finished(batch);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "answering the waiters of finished tasks (their next poll answers them)", e);
        }
        for (TaskCompletion c : batch) {
            if (events != null) {
                try {
                    events.fire(c);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "an observer of " + c + " threw", e);
                }
            }
            for (Consumer<TaskCompletion> l : listeners) {
                try {
                    l.accept(c);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "completion listener " + l + " threw on " + c, e);
                }
            }
        }
    }
}
