package io.mcpcrew.crew.tasks;

/**
 * A {@link NamedTaskHandler} for trying the queue out (the built-in {@code echo} and {@code sleep}), not for
 * production: {@link TaskHandlers} registers it only when {@code redis.crew.tasks.demo-handlers.enabled} is true
 * (default false). Otherwise its task name is unknown: the HTTP API refuses it (400) and a worker fails such a task.
 */
public interface DemoTaskHandler extends NamedTaskHandler {
}
