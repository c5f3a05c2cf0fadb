package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.validation.Names;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The {@link NamedTaskHandler} CDI beans of the application, by task name: what the managed workers run, and what
 * the HTTP API accepts as a task name. Two beans claiming one name fail the deployment with both class names.
 * {@link DemoTaskHandler}s count only with {@code redis.crew.tasks.demo-handlers.enabled=true}.
 */
@ApplicationScoped
public class TaskHandlers {
    private static final Logger LOG = Logger.getLogger(TaskHandlers.class.getName());

    @Inject
    @Any
    Instance<NamedTaskHandler> beans;

    @Inject
    TaskQueues queues;

    private Map<String, NamedTaskHandler> byName = Map.of();

    @PostConstruct
    void collect() {
        boolean demo = queues.config().demoHandlersEnabled();
        byName = byName(beans, demo);
        if (!demo) {
            List<String> skipped = new ArrayList<>();
            for (NamedTaskHandler h : beans) {
                if (h instanceof DemoTaskHandler) {
                    skipped.add(h.taskName());
                }
            }
            if (!skipped.isEmpty()) {
                LOG.info(() -> "Demo task handlers " + skipped + " are not registered "
                        + "(redis.crew.tasks.demo-handlers.enabled=false)");
            }
        }
    }

    /**
     * The handlers by task name; {@link DemoTaskHandler}s only if {@code demoEnabled}.
     *
     * @throws IllegalStateException if two handlers claim one name
     */
    static Map<String, NamedTaskHandler> byName(Iterable<? extends NamedTaskHandler> handlers, boolean demoEnabled) {
        Map<String, NamedTaskHandler> m = new TreeMap<>();
        for (NamedTaskHandler h : handlers) {
            if (h instanceof DemoTaskHandler && !demoEnabled) {
                continue;
            }
            String n = Names.require("task name of " + h.getClass().getName(), h.taskName());
            NamedTaskHandler before = m.putIfAbsent(n, h);
            if (before != null) {
                throw new IllegalStateException("two task handlers for task name \"" + n + "\": "
                        + before.getClass().getName() + " and " + h.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(m);
    }

    public Optional<TaskHandler> handler(String taskName) {
        return Optional.ofNullable(byName.get(taskName));
    }

    public Set<String> taskNames() {
        return byName.keySet();
    }
}
