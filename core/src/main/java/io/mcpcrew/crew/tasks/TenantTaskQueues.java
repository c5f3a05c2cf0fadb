package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.paging.Page;
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
    /** The most queue names one page of {@link #queueNames} holds. */
    int MAX_PAGE = 1000;

    String tenant();

    /** The queue {@code name} of this tenant: enqueue, read, cancel, pause, statistics, workers. */
    TaskQueue queue(String name);

    /**
     * The tenant's queue names in byte order, {@code limit} (1 to {@value #MAX_PAGE}) after {@code cursor} (null: the
     * first page), from the registry written on each queue's first write per process: every queue enqueued to (or
     * given a schedule), also after its tasks are gone.
     */
    Page<String> queueNames(String cursor, int limit);

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
