package io.mcpcrew.crew.web.sessions;

import java.util.Map;

/** Body of {@code POST .../sessions}: {@code {"userId", "data", "ttlSeconds" | "importance"}}. */
public class CreateSessionRequest {
    private String userId;
    private Map<String, Object> data;
    private Long ttlSeconds;
    private String importance;

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public Map<String, Object> getData() {
        return data;
    }

    public void setData(Map<String, Object> data) {
        this.data = data;
    }

    public Long getTtlSeconds() {
        return ttlSeconds;
    }

    public void setTtlSeconds(Long ttlSeconds) {
        this.ttlSeconds = ttlSeconds;
    }

    public String getImportance() {
        return importance;
    }

    public void setImportance(String importance) {
        this.importance = importance;
    }
}
