package io.mcpcrew.crew.tasks;

import java.util.List;

/**
 * Task queues per tenant. Inject it ({@code @Inject TaskQueues queues}) or build {@link RedisTaskQueues} outside a
 * container.
 */
public interface TaskQueues {

    /** The queue {@code queueName} of {@code tenantId}; both follow {@link io.mcpcrew.crew.redis.Names#RULE}. */
    TaskQueue queue(String tenantId, String queueName);

    /** Every queue ever enqueued to, from the registry the managed workers serve. */
    List<TaskQueue> registeredQueues();

    TaskQueueConfig config();

    /** Tasks waiting in the local buffer for Redis to come back. */
    int bufferedTasks();
}
