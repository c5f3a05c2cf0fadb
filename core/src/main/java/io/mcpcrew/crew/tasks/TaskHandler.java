package io.mcpcrew.crew.tasks;

/**
 * Runs tasks. Return the result as JSON text (or null for none); throw to fail the attempt (it is retried with
 * backoff, then dead-lettered with the exception's message and a stack summary). Throw
 * {@link PermanentTaskFailure} to dead-letter at once. A handler must be thread-safe: a worker runs up to its
 * concurrency of tasks at once.
 */
@FunctionalInterface
public interface TaskHandler {
    String handle(Task task) throws Exception;
}
