package io.mcpcrew.crew.web.console;

import io.mcpcrew.crew.tasks.NamedTaskHandler;
import io.mcpcrew.crew.tasks.Task;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-deployment handler of task name {@code console-flaky}: the first attempt of every task fails, any later one
 * succeeds. Enqueued with {@code maxAttempts: 1}, a task goes DEAD; retried from the console, it then succeeds.
 */
@ApplicationScoped
public class FlakyHandler implements NamedTaskHandler {
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    @Override
    public String taskName() {
        return "console-flaky";
    }

    @Override
    public String handle(Task task) {
        if (failedOnce.add(task.id())) {
            throw new IllegalStateException("console-flaky fails the first attempt of " + task.id());
        }
        return "{\"recovered\":true}";
    }
}
