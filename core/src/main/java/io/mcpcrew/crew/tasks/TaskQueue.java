package io.mcpcrew.crew.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * One tenant's named task queue. Get one from {@link TaskQueues#queue(String, String)}.
 *
 * <pre>{@code
 * TaskQueue q = queues.queue("acme", "emails");
 * String id = q.enqueue("send-welcome", "{\"user\":42}", TaskPriority.HIGH,
 *         TaskOptions.defaults().withMaxAttempts(5).withIdempotencyKey("welcome-42"));
 * TaskWorker w = q.startWorker(task -> { send(task.payload()); return null; }, 10);
 * q.get(id).map(TaskInfo::getState);   // PENDING, RUNNING, SUCCEEDED, ...
 * }</pre>
 *
 * <p>Guarantees: a task is claimed by one worker at a time under a lease the worker renews; if the worker dies
 * the lease expires and the task runs again elsewhere (at-least-once, never lost). Priorities are strict,
 * FIFO within one priority. Failures retry with exponential backoff and jitter, then dead-letter.
 */
public interface TaskQueue {

    String tenant();

    String name();

    /** Enqueues a task with the queue's default options; returns its id. */
    default String enqueue(String taskName, String payload, TaskPriority priority) {
        return enqueue(taskName, payload, priority, TaskOptions.defaults());
    }

    /**
     * Enqueues a task; returns its id (the first task's id if the idempotency key was used before). While Redis is
     * down the task goes to a bounded local buffer, written to Redis in order when it returns; a full buffer
     * throws {@link io.mcpcrew.crew.redis.FallbackBufferFullException}.
     *
     * @throws io.mcpcrew.crew.redis.InvalidInputException bad task name or payload over the configured size
     */
    String enqueue(String taskName, String payload, TaskPriority priority, TaskOptions options);

    /** Enqueues many tasks with few round trips (one script per up to 500 tasks); ids in input order. */
    List<String> enqueueAll(List<NewTask> tasks);

    /** The task's record, or empty if there is no such task (never existed, or its record expired). */
    Optional<TaskInfo> get(String id);

    /**
     * Cancels a PENDING, SCHEDULED or FAILED (waiting retry) task. Returns the state afterwards: CANCELLED (also
     * when it was cancelled before: cancel is idempotent), or the state that prevented it (RUNNING, SUCCEEDED,
     * DEAD); empty if there is no such task.
     */
    Optional<TaskState> cancel(String id);

    /**
     * Puts a DEAD task back as PENDING with fresh attempts. Returns the state afterwards: PENDING, or the state of
     * a task that is not dead (then nothing changed); empty if there is no such task.
     */
    Optional<TaskState> retryDead(String id);

    /** Dead letters, newest first, at most {@code limit}. */
    List<TaskInfo> deadLetters(int limit);

    /** Stops workers from claiming from this queue (running tasks finish). */
    void pause();

    void resume();

    QueueStats stats();

    /** Starts a worker on its own pool of {@code concurrency} threads. */
    TaskWorker startWorker(TaskHandler handler, int concurrency);

    /** Starts a worker running handlers on {@code executor} (e.g. a ManagedExecutorService), at most {@code concurrency} at once. */
    TaskWorker startWorker(TaskHandler handler, int concurrency, ExecutorService executor);

    // ---- the worker protocol, for custom workers (TaskWorkerPool uses it) ----

    /**
     * A worker's round trip, one script: completes {@code done} with their {@code results} (JSON text or null),
     * then claims up to {@code max} tasks, highest priority first, leased for {@code lease}; claiming also promotes
     * due delayed and retry tasks and re-queues tasks whose lease expired. Claims nothing while the queue is paused.
     */
    ClaimBatch ackAndClaim(List<Task> done, List<String> results, int max, Duration lease);

    /** Claims up to {@code max} tasks (see {@link #ackAndClaim}). */
    default List<Task> claim(int max, Duration lease) {
        return ackAndClaim(List.of(), List.of(), max, lease).claimed();
    }

    /** Completes claimed tasks with their results (JSON text or null); true per task whose lease was still held. */
    default List<Boolean> ack(List<Task> tasks, List<String> results) {
        return tasks.isEmpty() ? List.of() : ackAndClaim(tasks, results, 0, Duration.ZERO).acked();
    }

    /**
     * Records a failed attempt: FAILED with a retry after backoff, or DEAD after the last attempt (or at once when
     * {@code error} is a {@link PermanentTaskFailure}). Empty if the lease was lost (nothing changed).
     */
    Optional<TaskState> fail(Task task, Throwable error);

    /** Extends the leases of claimed tasks; true per task whose lease was still held. */
    List<Boolean> renew(List<Task> tasks, Duration lease);

    /** Gives claimed tasks back unfinished (PENDING at their old place, the attempt not counted). */
    int release(List<Task> tasks);
}
