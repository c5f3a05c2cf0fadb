package io.mcpcrew.crew.tasks;

import java.util.Set;

/**
 * The task queues of one tenant ({@link TaskQueues#forTenant}). Queue names follow
 * {@link io.mcpcrew.crew.validation.Names#RULE}; a queue needs no creating: it exists once a task is enqueued to it.
 *
 * <pre>{@code
 * TaskQueue emails = queues.forTenant("acme").queue("emails");
 * }</pre>
 */
public interface TenantTaskQueues {

    String tenant();

    /** The queue {@code name} of this tenant: enqueue, read, cancel, pause, statistics, workers. */
    TaskQueue queue(String name);

    /**
     * The worker protocol of the queue {@code queueName} (claim, ack, fail, renew, release), for a hand-written
     * worker loop; {@link TaskQueue#startWorker} runs one for you.
     */
    TaskLeases leases(String queueName);

    /**
     * The worker protocol of the queue {@code queueName} for a worker that runs only the tasks named in
     * {@code taskNames}: its claims take only those (others stay for the workers that serve them).
     *
     * @throws io.mcpcrew.crew.validation.InvalidInputException an empty set or an invalid name
     */
    TaskLeases leases(String queueName, Set<String> taskNames);
}
