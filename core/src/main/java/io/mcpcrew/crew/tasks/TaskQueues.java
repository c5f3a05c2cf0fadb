package io.mcpcrew.crew.tasks;

import java.util.List;
import java.util.function.Consumer;

/**
 * Task queues per tenant. Inject it ({@code @Inject TaskQueues queues}) or build {@link RedisTaskQueues} outside a
 * container, then {@code queues.forTenant("acme").queue("emails")}.
 */
public interface TaskQueues {

    /** The queues of {@code tenant}, which follows {@link io.mcpcrew.crew.validation.Names#RULE}. */
    TenantTaskQueues forTenant(String tenant);

    /** Every queue ever enqueued to, from the registry the managed workers serve. */
    List<TaskQueue> registeredQueues();

    /** Every queue that has schedules ({@link TaskQueue#schedules()}), from the registry the schedule runners serve. */
    List<TaskQueue> scheduledQueues();

    TaskQueueConfig config();

    /** Tasks waiting in the local buffer for Redis to come back. */
    int bufferedTasks();

    /**
     * Tells {@code listener} of every task attempt the worker pools of this node finish, once Redis confirmed the
     * outcome ({@link TaskCompletion}: succeeded, failed and will retry, dead), in plain Java as CDI observers hear
     * of them in a container. Called on a thread of the pool's executor, never the one that claims; keep it short
     * (it holds that thread) and let it not throw (a throw is logged).
     */
    void addCompletionListener(Consumer<TaskCompletion> listener);

    void removeCompletionListener(Consumer<TaskCompletion> listener);

    /** How many callers wait on this node now for tasks to finish ({@link TaskQueue#await}, HTTP {@code ?wait}). */
    int awaiting();
}
