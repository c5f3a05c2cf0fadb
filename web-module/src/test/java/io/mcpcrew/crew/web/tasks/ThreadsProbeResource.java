package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.events.Subscription;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskQueues;
import io.mcpcrew.crew.tasks.TaskWorker;
import jakarta.enterprise.concurrent.ManageableThread;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Test-deployment resource: what an application's own code does with the components (a worker of its own with
 * {@code startWorker(handler, 2)}, a broadcast and a group subscription), and every {@code crew-} thread of the
 * JVM with whether the server manages it ({@link ManageableThread}). (The server's own threads cannot be told
 * apart by their context class loader: some of Payara's carry the application's; hence the names.)
 */
@Path("/v1/test/threads")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ThreadsProbeResource {
    /** The task name only this resource's worker runs. */
    static final String TASK = "threads-probe";
    /** The stream the subscriptions read. */
    static final String STREAM = "threads-probe";

    private static final List<Object> OWNED = new CopyOnWriteArrayList<>();
    private static final List<String> HANDLED_ON = new CopyOnWriteArrayList<>();

    @Inject
    TaskQueues queues;

    @Inject
    EventManager events;

    /** Starts a worker on {@code tenant}/{@code queue} with a pool of its own, subscribes, and enqueues one task. */
    @POST
    public JsonObject start(@QueryParam("tenant") String tenant, @QueryParam("queue") String queue) {
        TaskQueue q = queues.forTenant(tenant).queue(queue);
        TaskWorker worker = q.startWorker(task -> {
            HANDLED_ON.add(describe(Thread.currentThread()));
            return "{\"ranOn\":\"" + Thread.currentThread().getName() + "\"}";
        }, 2);
        OWNED.add(worker);
        TenantEvents t = events.forTenant(tenant);
        OWNED.add(t.subscribe(STREAM, e -> { }));
        OWNED.add(t.subscribe(STREAM, "threads-probe-group", e -> { }));
        String id = q.enqueue(TASK, "{}", TaskPriority.NORMAL);
        return Json.createObjectBuilder().add("task", id).build();
    }

    /** Stops what {@link #start} started (the worker within five seconds). */
    @DELETE
    public JsonObject stop() {
        for (Object o : OWNED) {
            if (o instanceof TaskWorker) {
                ((TaskWorker) o).stop(Duration.ofSeconds(5));
            } else {
                ((Subscription) o).close();
            }
        }
        int stopped = OWNED.size();
        OWNED.clear();
        return Json.createObjectBuilder().add("stopped", stopped).build();
    }

    /**
     * {@code threads}: every live {@code crew-} thread, and any of commons-pool (the connection pool's evictor,
     * which must not run); {@code handledOn}: the threads the worker's handler ran on.
     */
    @GET
    public JsonObject threads() {
        List<Thread> crew = Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.isAlive()
                        && (th.getName().startsWith("crew-") || th.getName().startsWith("commons-pool")))
                .sorted(Comparator.comparing(Thread::getName)).collect(Collectors.toList());
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (Thread th : crew) {
            list.add(Json.createObjectBuilder().add("name", th.getName())
                    .add("managed", th instanceof ManageableThread).add("class", th.getClass().getName()));
        }
        return Json.createObjectBuilder().add("threads", list)
                .add("handledOn", Json.createArrayBuilder(List.copyOf(HANDLED_ON))).build();
    }

    static String describe(Thread t) {
        return t.getName() + " managed=" + (t instanceof ManageableThread);
    }
}
