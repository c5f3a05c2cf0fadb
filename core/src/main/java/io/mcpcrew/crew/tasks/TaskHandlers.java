package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.redis.Names;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link NamedTaskHandler} CDI beans of the application, by task name: what the managed workers run, and what
 * the HTTP API accepts as a task name. Two beans claiming one name fail the deployment with both class names.
 */
@ApplicationScoped
public class TaskHandlers {
    @Inject
    @Any
    Instance<NamedTaskHandler> beans;

    private Map<String, NamedTaskHandler> byName = Map.of();

    @PostConstruct
    void collect() {
        Map<String, NamedTaskHandler> m = new TreeMap<>();
        for (NamedTaskHandler h : beans) {
            String n = Names.require("task name of " + h.getClass().getName(), h.taskName());
            NamedTaskHandler before = m.putIfAbsent(n, h);
            if (before != null) {
                throw new IllegalStateException("two task handlers for task name \"" + n + "\": "
                        + before.getClass().getName() + " and " + h.getClass().getName());
            }
        }
        byName = Collections.unmodifiableMap(m);
    }

    public Optional<TaskHandler> handler(String taskName) {
        return Optional.ofNullable(byName.get(taskName));
    }

    public Set<String> taskNames() {
        return byName.keySet();
    }
}
