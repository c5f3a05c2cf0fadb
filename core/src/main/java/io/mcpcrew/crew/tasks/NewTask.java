package io.mcpcrew.crew.tasks;

import java.util.Objects;

/**
 * One task to enqueue in a batch ({@link TaskQueue#enqueueAll}): name, JSON payload, priority and options. The
 * name and payload are checked when the task is enqueued.
 *
 * @param priority not null
 * @param options  null: {@link TaskOptions#defaults()}
 */
public record NewTask(String name, String payload, TaskPriority priority, TaskOptions options) {

    public NewTask {
        Objects.requireNonNull(priority, "priority");
        options = options == null ? TaskOptions.defaults() : options;
    }

    /** A task with the queue's default options. */
    public NewTask(String name, String payload, TaskPriority priority) {
        this(name, payload, priority, TaskOptions.defaults());
    }
}
