package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.EnqueuedFlow;
import io.mcpcrew.crew.tasks.FlowChild;
import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.tasks.QueueStats;
import io.mcpcrew.crew.tasks.TaskInfo;
import io.mcpcrew.crew.tasks.TaskNameStats;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskProgress;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskState;
import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.json.Params;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.time.Instant;

/**
 * The task operations of the API, one place for what the HTTP resource ({@link TaskResource}) and the MCP tools
 * ({@code io.mcpcrew.crew.web.mcp}) do: the same parsing of the same JSON bodies, the same component calls, the same
 * answers and the same errors (a 400 {@code InvalidInputException}, a 404 {@link NotFoundException}, a 409
 * {@link ClientErrorException}, each with its message).
 */
public final class TaskCalls {
    /** The longest wait of a task read ({@code ?wait=}, the MCP tool's {@code wait}), in seconds. */
    public static final int MAX_WAIT_SECONDS = 60;

    private TaskCalls() {
    }

    /** Enqueues the task a {@code POST .../tasks} body describes; returns its id. */
    public static String enqueue(TaskQueue queue, String body) {
        NewTask t = EnqueueRequest.parse(body).task();
        return queue.enqueue(t.name(), t.payload(), t.priority(), t.options());
    }

    /** Enqueues the flow a {@code POST .../flows} body describes. */
    public static EnqueuedFlow enqueueFlow(TaskQueue queue, String body) {
        return queue.enqueueFlow(FlowRequest.parse(body));
    }

    /** {@code {"parentId","childIds"}}. */
    public static JsonObject view(EnqueuedFlow flow) {
        JsonArrayBuilder children = Json.createArrayBuilder();
        flow.childIds().forEach(children::add);
        return Json.createObjectBuilder().add("parentId", flow.parentId()).add("childIds", children).build();
    }

    /** The wait of a task read: the text of an integer from 0 to {@value #MAX_WAIT_SECONDS} seconds (null: 0). */
    public static int waitSeconds(String raw) {
        return Params.integer("wait", raw, 0, MAX_WAIT_SECONDS, 0);
    }

    /**
     * Cancels a PENDING, SCHEDULED or FAILED task: {@code {"id","state":"CANCELLED"}}; an unknown task is a 404, a
     * task in another state a 409.
     */
    public static JsonObject cancel(TaskQueue queue, String id) {
        TaskState s = queue.cancel(id).orElseThrow(() -> notFound(queue.tenant(), queue.name(), id));
        if (s != TaskState.CANCELLED) {
            throw new ClientErrorException("task " + id + " is " + s + ": only PENDING, SCHEDULED or FAILED tasks can be"
                    + " cancelled", Response.Status.CONFLICT);
        }
        return Json.createObjectBuilder().add("id", id).add("state", s.name()).build();
    }

    /** The 404 of a task id the queue does not know. */
    public static NotFoundException notFound(String tenant, String queueName, String id) {
        return new NotFoundException("no task " + Names.quote(id) + " in queue " + queueName + " of tenant " + tenant
                + " (unknown, or its record expired)");
    }

    /** A task as the API answers it. */
    public static JsonObject view(TaskInfo t) {
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
        progress(b, t.progress());
        return b.build();
    }

    /** A queue's statistics as the API answers them. */
    public static JsonObject view(QueueStats s) {
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
    public static JsonValue json(String text) {
        if (text == null) {
            return JsonValue.NULL;
        }
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readValue();
        } catch (RuntimeException e) {
            return Json.createValue(text);
        }
    }

    /** {@code "progress": {"percent","message","at"}}, or null when nothing was reported. */
    static void progress(JsonObjectBuilder b, TaskProgress p) {
        if (p == null) {
            b.addNull("progress");
        } else {
            JsonObjectBuilder pb = Json.createObjectBuilder().add("percent", p.percent());
            text(pb, "message", p.message());
            instant(pb, "at", p.at());
            b.add("progress", pb);
        }
    }

    /** An instant as ISO-8601 text, or JSON null. */
    static void instant(JsonObjectBuilder b, String name, Instant i) {
        text(b, name, i == null ? null : i.toString());
    }

    /** A string, or JSON null. */
    static void text(JsonObjectBuilder b, String name, String s) {
        if (s == null) {
            b.addNull(name);
        } else {
            b.add(name, s);
        }
    }
}
