package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.tasks.TaskOptions;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;
import jakarta.json.JsonValue;
import java.time.Duration;

/**
 * Body of {@code POST .../queues/{queue}/tasks}: {@code {"name","payload","priority","delaySeconds","maxAttempts",
 * "idempotencyKey"}}; only {@code name} is required.
 *
 * @param name           the task name (a registered handler)
 * @param payload        any JSON value; {@code null} when not given
 * @param priority       CRITICAL, HIGH, NORMAL (default) or LOW, any case; null when not given
 * @param delaySeconds   0 to {@value #MAX_DELAY_SECONDS}, or null
 * @param maxAttempts    1 to {@value #MAX_ATTEMPTS}, or null (the configured default)
 * @param idempotencyKey or null
 */
public record EnqueueRequest(String name, JsonValue payload, String priority, Long delaySeconds, Integer maxAttempts,
        String idempotencyKey) {
    /** The longest delay: 366 days. */
    public static final long MAX_DELAY_SECONDS = 366L * 24 * 3600;
    /** The most attempts a task may be given (as {@code TaskOptions.withMaxAttempts}). */
    public static final int MAX_ATTEMPTS = 1000;

    /** Reads the body; wrong JSON types and numbers outside their range are a 400 naming the field. */
    static EnqueueRequest parse(String raw) {
        return of(JsonBody.object(raw, "{\"name\":\"echo\",\"payload\":{...}}"));
    }

    /** Reads one task object (the body, or a task of a flow's body). */
    static EnqueueRequest of(JsonFields b) {
        JsonValue payload = b.value("payload");
        return new EnqueueRequest(b.requiredString("name", "the task name, e.g. \"echo\""),
                payload == null ? JsonValue.NULL : payload, b.string("priority"),
                b.integer("delaySeconds", 0, MAX_DELAY_SECONDS, "366 days"), b.int32("maxAttempts", 1, MAX_ATTEMPTS),
                b.string("idempotencyKey"));
    }

    /** The task to enqueue; the name is checked here, the payload size when it is enqueued. */
    NewTask task() {
        TaskOptions options = TaskOptions.defaults();
        if (delaySeconds != null) {
            options = options.withDelay(Duration.ofSeconds(delaySeconds));
        }
        if (maxAttempts != null) {
            options = options.withMaxAttempts(maxAttempts);
        }
        if (idempotencyKey != null) {
            options = options.withIdempotencyKey(idempotencyKey);
        }
        return new NewTask(Names.require("task name", name), payload.toString(), TaskPriority.parse(priority), options);
    }
}
