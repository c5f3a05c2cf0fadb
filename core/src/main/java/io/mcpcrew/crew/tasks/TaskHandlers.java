package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.validation.Names;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
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
 * The {@link NamedTaskHandler} CDI beans of the application, by task name, from every module (found by
 * {@link TaskHandlerExtension}): what the managed workers run. Two beans claiming one name fail the deployment with
 * both class names. {@link DemoTaskHandler}s count only with {@code redis.crew.tasks.demo-handlers.enabled=true}.
 */
@ApplicationScoped
public class TaskHandlers {
    private static final Logger LOG = Logger.getLogger(TaskHandlers.class.getName());

    @Inject
    BeanManager beans;

    @Inject
    TaskHandlerExtension extension;

    @Inject
    TaskQueues queues;

    private Map<String, NamedTaskHandler> byName = Map.of();

    @PostConstruct
    void collect() {
        boolean demo = queues.config().demoHandlersEnabled();
        List<NamedTaskHandler> found = new ArrayList<>();
        for (Bean<?> b : extension.handlers()) {
            found.add((NamedTaskHandler) beans.getReference(b, NamedTaskHandler.class, beans.createCreationalContext(b)));
        }
        byName = byName(found, demo);
        if (!demo) {
            List<String> skipped = new ArrayList<>();
            for (NamedTaskHandler h : found) {
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

    /** The handlers that serve the queue {@code queue} of {@code tenant} ({@link NamedTaskHandler#serves}), by name. */
    public Map<String, NamedTaskHandler> forQueue(String tenant, String queue) {
        Map<String, NamedTaskHandler> m = new TreeMap<>();
        for (NamedTaskHandler h : byName.values()) {
            if (h.serves(tenant, queue)) {
                m.put(h.taskName(), h);
            }
        }
        return m;
    }
}
