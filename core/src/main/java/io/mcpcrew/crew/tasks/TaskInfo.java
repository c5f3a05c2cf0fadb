package io.mcpcrew.crew.tasks;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of one task's record: state, attempts, timestamps, last error and result. JSON-B serializes it as
 * the HTTP representation of a task (timestamps as ISO-8601 instants, absent values as null).
 */
public final class TaskInfo {
    private final String id;
    private final String tenant;
    private final String queue;
    private final String name;
    private final String payload;
    private final TaskPriority priority;
    private final TaskState state;
    private final int attempts;
    private final int maxAttempts;
    private final Instant createdAt;
    private final Instant runAt;
    private final Instant startedAt;
    private final Instant finishedAt;
    private final String lastError;
    private final String errorStack;
    private final String result;
    private final String idempotencyKey;

    TaskInfo(String tenant, String queue, String id, Map<String, String> h) {
        this.tenant = tenant;
        this.queue = queue;
        TaskSpec spec = TaskSpec.parse(h.get("spec"));
        this.id = id;
        this.name = spec.name;
        this.payload = h.get("payload");
        this.priority = spec.priority;
        this.state = TaskState.valueOf(h.get("state"));
        this.attempts = parseInt(h.get("attempts"));
        this.maxAttempts = spec.maxAttempts;
        this.createdAt = Instant.ofEpochMilli(spec.createdAtMillis);
        this.runAt = h.containsKey("runAt") ? instant(h.get("runAt")) : this.createdAt;
        this.startedAt = instant(h.get("startedAt"));
        this.finishedAt = instant(h.get("finishedAt"));
        this.lastError = emptyToNull(h.get("lastError"));
        this.errorStack = emptyToNull(h.get("errorStack"));
        this.result = emptyToNull(h.get("result"));
        this.idempotencyKey = emptyToNull(spec.idempotencyKey);
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

    public String getId() {
        return id;
    }

    public String getTenant() {
        return tenant;
    }

    public String getQueue() {
        return queue;
    }

    public String getName() {
        return name;
    }

    /** The payload JSON text as enqueued. */
    public String getPayload() {
        return payload;
    }

    public TaskPriority getPriority() {
        return priority;
    }

    public TaskState getState() {
        return state;
    }

    /** Attempts started so far (the running one included). */
    public int getAttempts() {
        return attempts;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** When the task may run (its delay, or the retry after a failed attempt). */
    public Instant getRunAt() {
        return runAt;
    }

    /** When the last attempt started. */
    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public String getLastError() {
        return lastError;
    }

    /** The exception class, message and first stack frames of the last failure. */
    public String getErrorStack() {
        return errorStack;
    }

    /** The handler's result (JSON text) once SUCCEEDED. */
    public String getResult() {
        return result;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    @Override
    public String toString() {
        return "TaskInfo[" + tenant + "/" + queue + "/" + id + " " + name + " " + state + " attempts " + attempts + "]";
    }
}
