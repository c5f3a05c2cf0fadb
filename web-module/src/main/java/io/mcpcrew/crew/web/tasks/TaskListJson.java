package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.ListedTask;
import io.mcpcrew.crew.tasks.QueueStats;
import io.mcpcrew.crew.tasks.TaskLease;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskState;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.json.PageJson;
import io.mcpcrew.crew.web.json.Params;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Locale;

/**
 * The listing of a queue's tasks by state in JSON ({@code GET .../queues/{queue}/tasks?state=...}): reads the query,
 * asks {@link TaskQueue#tasks}, writes the page. A task of a listing is
 * {@code {"id","name","priority","state","attempts","maxAttempts","createdAt","runAt","startedAt","finishedAt",
 * "lastError","progress","lease"}}.
 */
final class TaskListJson {
    /** The page size when {@code limit} is absent. */
    static final int DEFAULT_LIMIT = 50;
    static final String STATES = "pending, scheduled, running, failed, dead";

    private TaskListJson() {
    }

    static JsonObject page(TaskQueue queue, String state, String cursor, String limit) {
        TaskState s = state(state);
        int n = Params.integer("limit", limit, 1, TaskQueue.MAX_LIST_LIMIT, DEFAULT_LIMIT);
        JsonObjectBuilder b = Json.createObjectBuilder().add("tenant", queue.tenant()).add("queue", queue.name())
                .add("state", s.name());
        return PageJson.builder(b, "tasks", queue.tasks(s, Params.cursor(cursor), n), TaskListJson::task).build();
    }

    /** The {@code state} parameter, any case: one of the listable states. */
    static TaskState state(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidInputException("state is required: must be one of " + STATES);
        }
        String name = raw.toUpperCase(Locale.ROOT);
        for (TaskState s : new TaskState[] {TaskState.PENDING, TaskState.SCHEDULED, TaskState.RUNNING, TaskState.FAILED,
            TaskState.DEAD}) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new InvalidInputException("invalid state " + Names.quote(raw) + ": must be one of "
                + STATES + " (finished tasks are read by id)");
    }

    static JsonObject task(ListedTask t) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("id", t.id()).add("name", t.name())
                .add("priority", t.priority().name()).add("state", t.state().name()).add("attempts", t.attempts())
                .add("maxAttempts", t.maxAttempts());
        TaskCalls.instant(b, "createdAt", t.createdAt());
        TaskCalls.instant(b, "runAt", t.runAt());
        TaskCalls.instant(b, "startedAt", t.startedAt());
        TaskCalls.instant(b, "finishedAt", t.finishedAt());
        TaskCalls.text(b, "lastError", t.lastError());
        TaskCalls.progress(b, t.progress());
        TaskLease l = t.lease();
        if (l == null) {
            b.addNull("lease");
        } else {
            JsonObjectBuilder lb = Json.createObjectBuilder().add("token", l.token());
            TaskCalls.text(lb, "holder", l.holder());
            TaskCalls.instant(lb, "expiresAt", l.expiresAt());
            b.add("lease", lb);
        }
        return b.build();
    }

    /** The counts of a queue a list of queues shows. */
    static JsonObject counts(QueueStats s) {
        return Json.createObjectBuilder().add("paused", s.paused()).add("pending", s.pending())
                .add("scheduled", s.scheduled()).add("failedWaitingRetry", s.failedWaitingRetry())
                .add("running", s.running()).add("dead", s.dead()).add("unclaimed", s.unclaimed())
                .add("oldestPendingAgeMillis", s.oldestPendingAgeMillis()).build();
    }
}
