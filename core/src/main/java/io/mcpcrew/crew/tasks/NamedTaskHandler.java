package io.mcpcrew.crew.tasks;

/**
 * A {@link TaskHandler} that names the tasks it runs. Make it a CDI bean (e.g. {@code @ApplicationScoped}) and
 * the server's managed workers run every task of that name, in every tenant's queues:
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class ResizeImage implements NamedTaskHandler {
 *     public String taskName() { return "resize-image"; }
 *     public String handle(Task task) { ...; return "{\"ok\":true}"; }
 * }
 * }</pre>
 */
public interface NamedTaskHandler extends TaskHandler {
    /** The task name, following {@link io.mcpcrew.crew.validation.Names#RULE}. */
    String taskName();
}
