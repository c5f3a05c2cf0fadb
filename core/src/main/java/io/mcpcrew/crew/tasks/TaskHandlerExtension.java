package io.mcpcrew.crew.tasks;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the {@link NamedTaskHandler} beans of the whole application as the container discovers them, in every
 * module: a bean in a user's own EJB jar of an EAR is found although this library in {@code lib/} cannot see that
 * jar's classes ({@code Instance<NamedTaskHandler>} here would only see beans visible from {@code lib/}).
 * {@link TaskHandlers} takes the beans from here. Registered in {@code META-INF/services}.
 */
public class TaskHandlerExtension implements Extension {
    private final List<Bean<?>> handlers = new ArrayList<>();

    <T> void found(@jakarta.enterprise.event.Observes ProcessBean<T> event) {
        Bean<?> bean = event.getBean();
        if (bean.getTypes().contains(NamedTaskHandler.class)) {
            synchronized (handlers) {
                handlers.add(bean);
            }
        }
    }

    /** The handler beans found, in discovery order. */
    List<Bean<?>> handlers() {
        synchronized (handlers) {
            return List.copyOf(handlers);
        }
    }
}
