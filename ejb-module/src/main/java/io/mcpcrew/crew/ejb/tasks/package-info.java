/**
 * The server-managed task workers: {@link io.mcpcrew.crew.ejb.tasks.TaskWorkerSupervisor} (a {@code @Singleton
 * @Startup} bean running one fair {@link io.mcpcrew.crew.tasks.TaskWorkerPool} over every registered tenant's
 * queues on the server's {@code ManagedExecutorService}, with a cap per tenant) and the built-in demonstration
 * handlers {@code echo} and {@code sleep} (registered only with {@code redis.crew.tasks.demo-handlers.enabled=true}).
 * Add a handler by making a CDI bean that implements {@link io.mcpcrew.crew.tasks.NamedTaskHandler}.
 * {@link io.mcpcrew.crew.ejb.tasks.ScheduleTimer} fires the recurring tasks' due ticks on every node (an EJB
 * interval timer running {@link io.mcpcrew.crew.tasks.ScheduleRunner}).
 */
package io.mcpcrew.crew.ejb.tasks;
