/**
 * TaskQueue: a per-tenant priority queue of tasks on Redis with leased workers, retries with exponential backoff
 * and jitter, dead letters, idempotent enqueue, pause/resume, recurring tasks and statistics.
 *
 * <p>Entry point: {@link io.mcpcrew.crew.tasks.TaskQueues} (CDI bean {@link io.mcpcrew.crew.tasks.RedisTaskQueues},
 * or {@code new RedisTaskQueues(redis)} outside a container); {@code forTenant(tenant)} gives the tenant's
 * {@link io.mcpcrew.crew.tasks.TenantTaskQueues}, whose {@code queue(name)} is the producer's
 * {@link io.mcpcrew.crew.tasks.TaskQueue} and whose {@code leases(name)} is the worker protocol,
 * {@link io.mcpcrew.crew.tasks.TaskLeases}. Workers: {@link io.mcpcrew.crew.tasks.TaskQueue#startWorker} (plain
 * Java) or {@link io.mcpcrew.crew.tasks.TaskWorkerPool} serving many queues fairly (the EJB supervisor runs one on
 * the server's managed executor, with {@link io.mcpcrew.crew.tasks.NamedTaskHandler} beans of every module found by
 * {@link io.mcpcrew.crew.tasks.TaskHandlerExtension} into {@link io.mcpcrew.crew.tasks.TaskHandlers}). A worker
 * claims only the task names it has handlers for; tasks nobody serves wait, counted as unclaimed in
 * {@link io.mcpcrew.crew.tasks.QueueStats}. Recurring tasks: {@code queue.schedules()} is the queue's
 * {@link io.mcpcrew.crew.tasks.TaskSchedules} ({@link io.mcpcrew.crew.tasks.ScheduleSpec} in,
 * {@link io.mcpcrew.crew.tasks.TaskSchedule} out; cron expressions parsed by cron-utils), whose ticks a
 * {@link io.mcpcrew.crew.tasks.ScheduleRunner} on every node fires once each. What callers hear of a task:
 * {@link io.mcpcrew.crew.tasks.TaskCompletion} notices of the node that finished it (CDI event and listeners),
 * {@link io.mcpcrew.crew.tasks.TaskQueue#await} (no thread per waiter: one poller per application), and
 * {@link io.mcpcrew.crew.tasks.TaskProgress} reported by running handlers (throttled per pool). Every state change
 * is one Lua script over keys of one hash tag (see {@link io.mcpcrew.crew.tasks.TaskKeys} and
 * {@code docs/wire-format/tasks.md}).
 */
package io.mcpcrew.crew.tasks;
