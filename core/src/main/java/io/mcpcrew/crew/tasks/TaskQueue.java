package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.paging.Page;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

/**
 * One tenant's named task queue, as producers and operators see it. Get one from
 * {@link TenantTaskQueues#queue(String)}; workers use the worker protocol, {@link TaskLeases}.
 *
 * <pre>{@code
 * TaskQueue q = queues.forTenant("acme").queue("emails");
 * String id = q.enqueue("send-welcome", "{\"user\":42}", TaskPriority.HIGH,
 *         TaskOptions.defaults().withMaxAttempts(5).withIdempotencyKey("welcome-42"));
 * TaskWorker w = q.startWorker(task -> { send(task.payload()); return null; }, 10);
 * q.get(id).map(TaskInfo::state);   // PENDING, RUNNING, SUCCEEDED, ...
 * }</pre>
 *
 * <p>Guarantees: a task is claimed by one worker at a time under a lease the worker renews; if the worker dies
 * the lease expires and the task runs again elsewhere (at-least-once, never lost). Priorities are strict,
 * FIFO within one priority. Failures retry with exponential backoff and jitter, then dead-letter.
 */
public interface TaskQueue {
    /** The most tasks one page of {@link #tasks} holds. */
    int MAX_LIST_LIMIT = 500;

    String tenant();

    /** The name of the queue. */
    String name();

    /** Enqueues a task with the queue's default options; returns its id. */
    default String enqueue(String taskName, String payload, TaskPriority priority) {
        return enqueue(taskName, payload, priority, TaskOptions.defaults());
    }

    /**
     * Enqueues a task; returns its id (the first task's id if the idempotency key was used before). While Redis is
     * down the task goes to a bounded local buffer, written to Redis in order when it returns; a full buffer
     * throws {@link io.mcpcrew.crew.resilience.FallbackBufferFullException}.
     *
     * @throws io.mcpcrew.crew.validation.InvalidInputException bad task name or payload over the configured size
     */
    String enqueue(String taskName, String payload, TaskPriority priority, TaskOptions options);

    /** Enqueues many tasks with few round trips (one script per up to 500 tasks); ids in input order. */
    List<String> enqueueAll(List<NewTask> tasks);

    /**
     * Enqueues a flow in one script: the parent waits (state WAITING_CHILDREN) while its children run as tasks of
     * this queue, and becomes PENDING when the last of them finishes; its handler then reads each child's outcome and
     * result in {@link Task#children()}. A child that ends DEAD or CANCELLED makes the parent DEAD at once under
     * {@link FlowFailurePolicy#FAIL_PARENT} (the default), or counts as finished under
     * {@link FlowFailurePolicy#RUN_PARENT}. Cancelling the parent cancels the children that have not started. Not
     * buffered while Redis is down: then it throws {@link io.mcpcrew.crew.redis.RedisUnavailableException} (give the
     * parent an idempotency key, and a retry never enqueues the flow twice).
     *
     * @throws io.mcpcrew.crew.validation.InvalidInputException a bad name or payload, no children or more than
     *                                                          {@value NewFlow#MAX_CHILDREN}, a parent with a delay,
     *                                                          or a child with an idempotency key
     */
    EnqueuedFlow enqueueFlow(NewFlow flow);

    /** The task's record, or empty if there is no such task (never existed, or its record expired). */
    Optional<TaskInfo> get(String id);

    /**
     * Waits until the task finishes (SUCCEEDED, DEAD or CANCELLED) or {@code timeout} passes, whichever comes first:
     * the task then, whatever its state at the timeout (FAILED means it will retry); empty only if there is no such
     * task. A failed attempt with attempts left does not end the wait. Blocks the caller; {@link #awaitAsync} does
     * not.
     *
     * @throws io.mcpcrew.crew.validation.InvalidInputException a bad id, or a timeout negative or over 24 hours
     * @throws InterruptedException the caller was interrupted while waiting
     */
    Optional<TaskInfo> await(String id, Duration timeout) throws InterruptedException;

    /**
     * {@link #await} without a thread: the stage completes when the task finishes or at the timeout. No thread waits
     * per caller: a worker of this node that finishes the task completes it at once, and one poller per application
     * reads the waited tasks of each queue with one script every {@code redis.crew.tasks.await-poll-interval}
     * (100 ms) for those finished elsewhere and for timeouts. The stage completes on that poller's thread or a
     * worker's: chain only short work to it.
     *
     * @throws io.mcpcrew.crew.validation.InvalidInputException a bad id, or a timeout negative or over 24 hours
     */
    CompletionStage<Optional<TaskInfo>> awaitAsync(String id, Duration timeout);

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

    /**
     * The tasks of this queue in {@code state}, one page: PENDING in claim order (CRITICAL first, the task names of a
     * priority in byte order, each name's tasks oldest first), SCHEDULED by run time, FAILED (waiting retry) by retry
     * time, RUNNING by lease expiry (with the lease), DEAD latest death first. At most {@code limit} (1 to
     * {@value #MAX_LIST_LIMIT}) after {@code cursor} (null: the first page; else a {@link Page#nextCursor()} of the
     * same state). One read-only script per page; never reads the whole queue. A task that stays in the state for the
     * whole walk is returned at least once.
     *
     * @throws io.mcpcrew.crew.validation.InvalidInputException SUCCEEDED or CANCELLED (kept by id only), a limit out
     *         of range, or a cursor that is not one this state's list returned
     */
    Page<ListedTask> tasks(TaskState state, String cursor, int limit);

    /** Dead letters, newest first, at most {@code limit}. */
    List<TaskInfo> deadLetters(int limit);

    /** Stops workers from claiming from this queue (running tasks finish). */
    void pause();

    void resume();

    QueueStats stats();

    /**
     * The recurring tasks of this queue: schedules (cron expression or fixed rate) that enqueue a task here at each
     * tick, once per tick across all nodes.
     */
    TaskSchedules schedules();

    /**
     * Starts a worker for every task of this queue, whatever its name, on a pool of {@code concurrency} threads of
     * its own (in a container, from the server's managed thread factory).
     */
    TaskWorker startWorker(TaskHandler handler, int concurrency);

    /**
     * Starts a worker for every task of this queue, whatever its name, running the handler on {@code executor}
     * (e.g. a {@code ManagedExecutorService}; null: a pool of its own), at most {@code concurrency} at once.
     */
    TaskWorker startWorker(TaskHandler handler, int concurrency, ExecutorService executor);

    /**
     * Starts a worker for the tasks of this queue named by {@code handlers} (their {@link NamedTaskHandler#tenants}
     * and {@link NamedTaskHandler#queues} are not consulted: this queue is the one served); it never claims a task
     * of another name. Runs them on {@code executor} (null: a pool of its own), at most {@code concurrency} at once.
     *
     * @throws io.mcpcrew.crew.validation.InvalidInputException no handlers, an invalid name, or two for one name
     */
    TaskWorker startWorker(Collection<? extends NamedTaskHandler> handlers, int concurrency, ExecutorService executor);
}
