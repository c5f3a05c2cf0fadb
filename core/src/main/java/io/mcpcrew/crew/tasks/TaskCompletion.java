package io.mcpcrew.crew.tasks;

import java.time.Instant;

/**
 * A notice that a worker of this node finished an attempt of a task and Redis confirmed the outcome (a task whose
 * lease was lost first gives none: another worker may be running it). Delivered, after the outcome is stored, as a
 * CDI event to observers ({@code void on(@Observes TaskCompletion c)}) and to the listeners of
 * {@link TaskQueues#addCompletionListener}, on a thread of the worker's executor, never on the thread that claims.
 *
 * @param attempt    the attempt that finished (1 for the first)
 * @param result     the handler's result (JSON text) when {@link Outcome#SUCCEEDED}; otherwise null
 * @param error      the one-line error (as stored in {@code lastError}) when the attempt failed; otherwise null
 * @param finishedAt when the worker recorded the outcome
 */
public record TaskCompletion(String tenant, String queue, String id, String taskName, Outcome outcome, int attempt,
        String result, String error, Instant finishedAt) {

    /** How an attempt ended. */
    public enum Outcome {
        /** The handler returned: the task is SUCCEEDED. */
        SUCCEEDED,
        /** The handler threw or timed out with attempts left: the task is FAILED and retries after its backoff. */
        FAILED_WILL_RETRY,
        /** The last attempt failed (or the failure was permanent): the task is DEAD, a dead letter. */
        DEAD;

        /** True once the task will not run again unless retried by hand. */
        public boolean isFinal() {
            return this != FAILED_WILL_RETRY;
        }
    }

    @Override
    public String toString() {
        return "TaskCompletion[" + tenant + "/" + queue + "/" + id + " " + taskName + " " + outcome + " attempt "
                + attempt + "]";
    }
}
