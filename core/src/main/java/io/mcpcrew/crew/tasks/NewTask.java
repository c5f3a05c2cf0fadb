package io.mcpcrew.crew.tasks;

import java.util.Objects;

/** One task to enqueue in a batch ({@link TaskQueue#enqueueAll}): name, JSON payload, priority and options. */
public final class NewTask {
    private final String name;
    private final String payload;
    private final TaskPriority priority;
    private final TaskOptions options;

    public NewTask(String name, String payload, TaskPriority priority, TaskOptions options) {
        this.name = name;
        this.payload = payload;
        this.priority = Objects.requireNonNull(priority, "priority");
        this.options = options == null ? TaskOptions.defaults() : options;
    }

    public NewTask(String name, String payload, TaskPriority priority) {
        this(name, payload, priority, TaskOptions.defaults());
    }

    public String name() {
        return name;
    }

    public String payload() {
        return payload;
    }

    public TaskPriority priority() {
        return priority;
    }

    public TaskOptions options() {
        return options;
    }
}
