package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.EnqueuedFlow;
import io.mcpcrew.crew.tasks.FlowChild;
import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.tasks.QueueStats;
import io.mcpcrew.crew.tasks.TaskNameStats;
import io.mcpcrew.crew.tasks.TaskInfo;
import io.mcpcrew.crew.tasks.TaskProgress;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskQueues;
import io.mcpcrew.crew.tasks.TaskState;
import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.json.Params;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * {@code /api/v1/tenants/{tenant}/queues/{queue}}: enqueue a task or a flow, read it (or wait for it to finish: a long poll
 * that holds no thread) or cancel it, queue statistics, pause/resume, dead letters and their retry. Bad input is 400 (through the one exception mapper), an unknown
 * task id 404, a state that forbids the operation 409.
 */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/queues/{queue}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {
    /** The longest {@code ?wait} of a task read, in seconds. */
    static final int MAX_WAIT_SECONDS = 60;
    /** How long past its wait a suspended request may stay before the server answers it anyway. */
    static final int WAIT_MARGIN_SECONDS = 30;
    @Inject
    TaskQueues queues;

    @PathParam("tenant")
    String tenant;

    @PathParam("queue")
    String queueName;

    @Context
    UriInfo uri;

    /** Writes the answers of waiting requests. */
    @Resource
    ManagedExecutorService executor;

    private TaskQueue queue() {
        return queues.forTenant(tenant).queue(queueName);
    }

    /** Enqueues a task: 201 {@code {"id"}} with a Location header naming the task. */
    @POST
    @Path("tasks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response enqueue(@RequestBody(required = true, description = "{\"name\": string (required), \"payload\": any"
            + " JSON, \"priority\": \"critical\" | \"high\" | \"normal\" | \"low\", \"delaySeconds\": integer 0..31622400,"
            + " \"maxAttempts\": integer 1..1000, \"idempotencyKey\": string}", content = @Content(
            mediaType = MediaType.APPLICATION_JSON)) String raw) {
        NewTask t = EnqueueRequest.parse(raw).task();
        String id = queue().enqueue(t.name(), t.payload(), t.priority(), t.options());
        return Response.created(uri.getAbsolutePathBuilder().path(id).build())
                .entity(Json.createObjectBuilder().add("id", id).build()).build();
    }

    /** The queue's tasks in one state ({@code ?state=pending|scheduled|running|failed|dead&cursor=&limit=}). */
    @GET
    @Path("tasks")
    public JsonObject tasks(@QueryParam("state") String state, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return TaskListJson.page(queue(), state, cursor, limit);
    }

    /**
     * Enqueues a flow: a parent task that runs once its children have finished (all of this queue). 201
     * {@code {"parentId","childIds"}} with a Location header naming the parent.
     */
    @POST
    @Path("flows")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response enqueueFlow(@RequestBody(required = true, description = "{\"parent\": task (required),"
            + " \"children\": [task, ...] (1..1000, required), \"onChildFailure\": \"FAIL_PARENT\" (default) |"
            + " \"RUN_PARENT\"}, each task as the body of POST .../tasks (the parent takes no delaySeconds, children no"
            + " idempotencyKey)", content = @Content(mediaType = MediaType.APPLICATION_JSON)) String raw) {
        EnqueuedFlow flow = queue().enqueueFlow(FlowRequest.parse(raw));
        JsonArrayBuilder children = Json.createArrayBuilder();
        flow.childIds().forEach(children::add);
        return Response.created(uri.getBaseUriBuilder().path("v1/tenants/{tenant}/queues/{queue}/tasks/{id}")
                .build(tenant, queueName, flow.parentId()))
                .entity(Json.createObjectBuilder().add("parentId", flow.parentId()).add("childIds", children).build())
                .build();
    }

    /**
     * The task: 200 with its representation. With {@code ?wait=N} (seconds, 0 to {@value #MAX_WAIT_SECONDS}) the
     * answer waits until the task finishes (SUCCEEDED, DEAD or CANCELLED) or N seconds pass, then 200 with the task
     * as it is (a long poll). The request holds no thread while it waits ({@link TaskQueue#awaitAsync}); the answer
     * is written on the server's managed executor.
     */
    @GET
    @Path("tasks/{id}")
    public void task(@PathParam("id") String id, @QueryParam("wait") String wait,
            @Suspended AsyncResponse response) {
        int seconds = Params.integer("wait", wait, 0, MAX_WAIT_SECONDS, 0);
        TaskQueue q = queue();
        String t = tenant;
        String qn = queueName;
        if (seconds == 0) {
            response.resume(view(q.get(id).orElseThrow(() -> notFound(t, qn, id))));
            return;
        }
        // a safety net only: the wait itself ends after the given seconds
        response.setTimeout(seconds + WAIT_MARGIN_SECONDS, TimeUnit.SECONDS);
        response.setTimeoutHandler(r -> resume(r, q.get(id).<Object>map(TaskResource::view)
                .orElseGet(() -> notFound(t, qn, id))));
        q.awaitAsync(id, Duration.ofSeconds(seconds)).whenComplete((found, error) -> answer(response, () -> {
            if (error != null) {
                return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            }
            return found.<Object>map(TaskResource::view).orElseGet(() -> notFound(t, qn, id));
        }));
    }

    /** Resumes {@code response} on the managed executor (not on the thread that completed the wait). */
    private void answer(AsyncResponse response, Supplier<Object> answer) {
        Runnable resume = () -> resume(response, answer.get());
        try {
            executor.execute(resume);
        } catch (RejectedExecutionException e) {
            resume.run();
        }
    }

    /** Cancels a PENDING, SCHEDULED or FAILED task: 200 {@code {"id","state":"CANCELLED"}}; 409 otherwise. */
    @DELETE
    @Path("tasks/{id}")
    public JsonObject cancel(@PathParam("id") String id) {
        TaskState s = queue().cancel(id).orElseThrow(() -> notFound(id));
        if (s != TaskState.CANCELLED) {
            throw conflict("task " + id + " is " + s + ": only PENDING, SCHEDULED or FAILED tasks can be cancelled");
        }
        return Json.createObjectBuilder().add("id", id).add("state", s.name()).build();
    }

    @GET
    public JsonObject stats() {
        return view(queue().stats());
    }

    @POST
    @Path("pause")
    public JsonObject pause() {
        TaskQueue q = queue();
        q.pause();
        return view(q.stats());
    }

    @POST
    @Path("resume")
    public JsonObject resume() {
        TaskQueue q = queue();
        q.resume();
        return view(q.stats());
    }

    /** Dead letters, newest first. */
    @GET
    @Path("dead")
    public JsonObject dead(@QueryParam("limit") String limit) {
        int n = Params.integer("limit", limit, 1, 1000, 100);
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (TaskInfo t : queue().deadLetters(n)) {
            a.add(view(t));
        }
        return Json.createObjectBuilder().add("tasks", a).build();
    }

    /** Puts a dead letter back in the queue: 200 {@code {"id","state":"PENDING"}}; 409 if it is not DEAD. */
    @POST
    @Path("dead/{id}/retry")
    public JsonObject retry(@PathParam("id") String id) {
        TaskState s = queue().retryDead(id).orElseThrow(() -> notFound(id));
        if (s != TaskState.PENDING) {
            throw conflict("task " + id + " is " + s + ", not DEAD: only dead letters can be retried");
        }
        return Json.createObjectBuilder().add("id", id).add("state", s.name()).build();
    }

    /** Resumes with an entity, or with an exception the mappers answer. */
    private static void resume(AsyncResponse response, Object answer) {
        if (answer instanceof Throwable) {
            response.resume((Throwable) answer);
        } else {
            response.resume(answer);
        }
    }

    private NotFoundException notFound(String id) {
        return notFound(tenant, queueName, id);
    }

    private static NotFoundException notFound(String tenant, String queueName, String id) {
        return new NotFoundException("no task " + Names.quote(id) + " in queue " + queueName + " of tenant " + tenant
                + " (unknown, or its record expired)");
    }

    private static ClientErrorException conflict(String message) {
        return new ClientErrorException(message, Response.Status.CONFLICT);
    }

    static JsonObject view(TaskInfo t) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("id", t.id()).add("tenant", t.tenant())
                .add("queue", t.queue()).add("name", t.name()).add("state", t.state().name())
                .add("priority", t.priority().name()).add("attempts", t.attempts())
                .add("maxAttempts", t.maxAttempts());
        b.add("payload", json(t.payload()));
        b.add("result", json(t.result()));
        instant(b, "createdAt", t.createdAt());
        instant(b, "runAt", t.runAt());
        instant(b, "startedAt", t.startedAt());
        instant(b, "finishedAt", t.finishedAt());
        text(b, "lastError", t.lastError());
        text(b, "errorStack", t.errorStack());
        text(b, "idempotencyKey", t.idempotencyKey());
        text(b, "parentId", t.parentId());
        text(b, "flowPolicy", t.flowPolicy() == null ? null : t.flowPolicy().name());
        JsonArrayBuilder children = Json.createArrayBuilder();
        for (FlowChild c : t.children()) {
            JsonObjectBuilder cb = Json.createObjectBuilder().add("id", c.id()).add("name", c.name());
            text(cb, "outcome", c.outcome() == null ? null : c.outcome().name());
            cb.add("result", json(c.result()));
            text(cb, "error", c.error());
            children.add(cb);
        }
        b.add("children", children);
        TaskProgress p = t.progress();
        if (p == null) {
            b.addNull("progress");
        } else {
            JsonObjectBuilder pb = Json.createObjectBuilder().add("percent", p.percent());
            text(pb, "message", p.message());
            instant(pb, "at", p.at());
            b.add("progress", pb);
        }
        return b.build();
    }

    static JsonObject view(QueueStats s) {
        JsonObjectBuilder byPriority = Json.createObjectBuilder();
        for (TaskPriority p : TaskPriority.values()) {
            byPriority.add(p.name(), s.pendingByPriority().get(p));
        }
        JsonArrayBuilder byName = Json.createArrayBuilder();
        for (TaskNameStats n : s.byTaskName()) {
            byName.add(Json.createObjectBuilder().add("taskName", n.taskName()).add("pending", n.pending())
                    .add("oldestPendingAgeMillis", n.oldestPendingAgeMillis()).add("served", n.served()));
        }
        return Json.createObjectBuilder().add("tenant", s.tenant()).add("queue", s.queue())
                .add("paused", s.paused())
                .add("pending", s.pending()).add("pendingByPriority", byPriority)
                .add("scheduled", s.scheduled()).add("failedWaitingRetry", s.failedWaitingRetry())
                .add("running", s.running()).add("dead", s.dead())
                .add("oldestPendingAgeMillis", s.oldestPendingAgeMillis())
                .add("succeededTotal", s.succeededTotal()).add("failedAttemptsTotal", s.failedAttemptsTotal())
                .add("deadTotal", s.deadTotal()).add("cancelledTotal", s.cancelledTotal())
                .add("expiredLeasesTotal", s.expiredLeasesTotal())
                .add("waitingChildren", s.waitingChildren())
                .add("unclaimed", s.unclaimed()).add("oldestUnclaimedAgeMillis", s.oldestUnclaimedAgeMillis())
                .add("byTaskName", byName).build();
    }

    /** Stored JSON text as a JSON value (text that is not JSON, e.g. written by another client, as a string). */
    static JsonValue json(String text) {
        if (text == null) {
            return JsonValue.NULL;
        }
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readValue();
        } catch (RuntimeException e) {
            return Json.createValue(text);
        }
    }

    private static void instant(JsonObjectBuilder b, String name, Instant i) {
        text(b, name, i == null ? null : i.toString());
    }

    private static void text(JsonObjectBuilder b, String name, String s) {
        if (s == null) {
            b.addNull(name);
        } else {
            b.add(name, s);
        }
    }
}
