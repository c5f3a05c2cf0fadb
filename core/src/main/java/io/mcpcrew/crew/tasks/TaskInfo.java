package io.mcpcrew.crew.tasks;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of one task's record: state, attempts, timestamps, last error and result. The web module renders it
 * as the HTTP representation of a task (timestamps as ISO-8601 instants, absent values as null).
 *
 * @param payload     the payload JSON text as enqueued
 * @param attempts    attempts started so far (the running one included)
 * @param runAt       when the task may run (its delay, or the retry after a failed attempt)
 * @param startedAt   when the last attempt started
 * @param errorStack  the exception class, message and first stack frames of the last failure
 * @param result      the handler's result (JSON text) once SUCCEEDED
 */
public record TaskInfo(String id, String tenant, String queue, String name, String payload, TaskPriority priority,
        TaskState state, int attempts, int maxAttempts, Instant createdAt, Instant runAt, Instant startedAt,
        Instant finishedAt, String lastError, String errorStack, String result, String idempotencyKey) {

    /** The snapshot of the task record hash {@code h} (its fields as {@code docs/wire-format/tasks.md} lists them). */
    static TaskInfo fromRecord(String tenant, String queue, String id, Map<String, String> h) {
        TaskSpec spec = TaskSpec.parse(h.get("spec"));
        Instant createdAt = Instant.ofEpochMilli(spec.createdAtMillis());
        return new TaskInfo(id, tenant, queue, spec.name(), h.get("payload"), spec.priority(),
                TaskState.valueOf(h.get("state")), parseInt(h.get("attempts")), spec.maxAttempts(), createdAt,
                h.containsKey("runAt") ? instant(h.get("runAt")) : createdAt, instant(h.get("startedAt")),
                instant(h.get("finishedAt")), emptyToNull(h.get("lastError")), emptyToNull(h.get("errorStack")),
                emptyToNull(h.get("result")), emptyToNull(spec.idempotencyKey()));
    }

    private static int parseInt(String s) {
        return s == null || s.isEmpty() ? 0 : Integer.parseInt(s);
    }

    private static Instant instant(String ms) {
        return ms == null || ms.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(ms));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return "TaskInfo[" + tenant + "/" + queue + "/" + id + " " + name + " " + state + " attempts " + attempts + "]";
    }
}
