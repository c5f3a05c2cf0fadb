package io.mcpcrew.crew.ejb.tasks;

import io.mcpcrew.crew.tasks.DemoTaskHandler;
import io.mcpcrew.crew.tasks.Task;
import jakarta.enterprise.context.ApplicationScoped;

/** Built-in task {@code echo}: the result is the payload. For trying the queue out. */
@ApplicationScoped
public class EchoTaskHandler implements DemoTaskHandler {
    @Override
    public String taskName() {
        return "echo";
    }

    @Override
    public String handle(Task task) {
        return task.payload();
    }
}
