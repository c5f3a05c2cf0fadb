package io.mcpcrew.crew.tasks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The worker protocol of one tenant's queue: claim tasks under a lease, then acknowledge, fail, renew or release
 * them. {@link TaskWorkerPool} (behind {@link TaskQueue#startWorker}) speaks it; a hand-written worker loop gets it
 * from {@link TenantTaskQueues#leases(String)}. Producers never need it.
 *
 * <pre>{@code
 * TaskLeases leases = queues.forTenant("acme").leases("emails");
 * List<Task> tasks = leases.claim(10, Duration.ofSeconds(30));
 * List<String> results = new ArrayList<>();
 * for (Task t : tasks) {
 *     results.add(send(t.payload()));          // renew(tasks, lease) every third of the lease while working
 * }
 * leases.ack(tasks, results);                  // or fail(task, error) / release(tasks)
 * }</pre>
 *
 * <p>Rules a worker keeps: a claimed task is the worker's until its lease runs out; after that the next claim of
 * any worker re-queues it (or dead-letters it on its last attempt) and this worker's ack, fail, renew and release
 * of it are refused and change nothing, so a task runs at least once and is completed at most once. Each method is
 * one Lua script on the queue's keys.
 */
public interface TaskLeases {

    String tenant();

    /** The name of the queue. */
    String queue();

    /** The task names this view claims; empty: every name ({@link TenantTaskQueues#leases(String)}). */
    Set<String> taskNames();

    /**
     * A worker's round trip, one script: completes {@code done} with their {@code results} (JSON text or null),
     * then claims up to {@code max} tasks of the {@link #taskNames} it serves, highest priority first (FIFO within
     * one priority and task name; the names taken in turn), leased for {@code lease}; claiming also promotes
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
    default int release(List<Task> tasks) {
        return release(tasks, Duration.ZERO);
    }

    /**
     * Gives claimed tasks back unfinished, the attempt not counted: claimable again after {@code delay} (SCHEDULED
     * until then), or at once at the head of their list for {@link Duration#ZERO}. Returns how many were still held.
     */
    int release(List<Task> tasks, Duration delay);
}
