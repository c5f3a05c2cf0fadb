package io.mcpcrew.crew.tasks;

import java.util.Set;

/**
 * A {@link TaskHandler} that names the tasks it runs, and optionally the tenants and queues it serves. Make it a
 * CDI bean (e.g. {@code @ApplicationScoped}) in any module of the application and the server's managed workers
 * run every task of that name in the queues it serves; a node claims only tasks it has a handler for, so a task
 * nobody serves waits (counted as unclaimed in {@link QueueStats}) and never fails for want of a handler.
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class ResizeImage implements NamedTaskHandler {
 *     public String taskName() { return "resize-image"; }
 *     public Set<String> queues() { return Set.of("images"); }      // optional: every queue by default
 *     @Timeout(30_000) @Bulkhead(4)                                  // optional: MicroProfile Fault Tolerance
 *     public String handle(Task task) { ...; return "{\"ok\":true}"; }
 * }
 * }</pre>
 *
 * The same object can be given to {@link TaskQueue#startWorker(java.util.Collection, int,
 * java.util.concurrent.ExecutorService)} to run it on a worker of your own instead.
 */
public interface NamedTaskHandler extends TaskHandler {
    /** The task name, following {@link io.mcpcrew.crew.validation.Names#RULE}. */
    String taskName();

    /** The tenants whose queues this handler serves; empty (the default): every tenant. */
    default Set<String> tenants() {
        return Set.of();
    }

    /** The queue names this handler serves (in each tenant it serves); empty (the default): every queue. */
    default Set<String> queues() {
        return Set.of();
    }

    /** Whether this handler serves the queue {@code queue} of {@code tenant}. */
    default boolean serves(String tenant, String queue) {
        return (tenants().isEmpty() || tenants().contains(tenant)) && (queues().isEmpty() || queues().contains(queue));
    }
}
