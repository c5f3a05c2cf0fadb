package io.mcpcrew.crew.tasks;

/** Where a task's {@link Task#progress} reports go: its leases, or the worker pool running it. */
@FunctionalInterface
interface ProgressSink {
    void report(Task task, TaskProgress progress);
}
