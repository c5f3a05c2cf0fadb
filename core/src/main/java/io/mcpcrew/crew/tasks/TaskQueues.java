package io.mcpcrew.crew.tasks;

import java.util.List;

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
}
