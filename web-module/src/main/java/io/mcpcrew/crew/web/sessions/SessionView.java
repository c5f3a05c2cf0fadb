package io.mcpcrew.crew.web.sessions;

import io.mcpcrew.crew.sessions.Session;
import java.util.Map;

/** A session as JSON: times in ISO-8601 UTC, the TTL in seconds. */
public class SessionView {
    private final Session session;

    SessionView(Session session) {
        this.session = session;
    }

    public String getId() {
        return session.getId();
    }

    public String getUserId() {
        return session.getUserId();
    }

    public Map<String, Object> getData() {
        return session.getData();
    }

    public String getCreatedAt() {
        return session.getCreatedAt().toString();
    }

    public String getLastAccessedAt() {
        return session.getLastAccessedAt().toString();
    }

    public String getExpiresAt() {
        return session.getExpiresAt().toString();
    }

    public double getTtlSeconds() {
        return session.getTtl().toMillis() / 1000.0;
    }
}
