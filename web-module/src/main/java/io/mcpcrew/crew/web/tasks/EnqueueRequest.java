package io.mcpcrew.crew.web.tasks;

import jakarta.json.JsonValue;

/**
 * Body of {@code POST .../queues/{queue}/tasks}: {@code {"name","payload","priority","delaySeconds","maxAttempts",
 * "idempotencyKey"}}; only {@code name} is required.
 */
public class EnqueueRequest {
    private String name;
    private JsonValue payload;
    private String priority;
    private Long delaySeconds;
    private Integer maxAttempts;
    private String idempotencyKey;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** Any JSON value; absent means {@code null}. */
    public JsonValue getPayload() {
        return payload;
    }

    public void setPayload(JsonValue payload) {
        this.payload = payload;
    }

    /** CRITICAL, HIGH, NORMAL (default) or LOW, any case. */
    public String getPriority() {
        return priority;
    }

    public void setPriority(String priority) {
        this.priority = priority;
    }

    public Long getDelaySeconds() {
        return delaySeconds;
    }

    public void setDelaySeconds(Long delaySeconds) {
        this.delaySeconds = delaySeconds;
    }

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public void setIdempotencyKey(String idempotencyKey) {
        this.idempotencyKey = idempotencyKey;
    }
}
