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

    /** Whole seconds as an integer; a TTL set in milliseconds from Java as a decimal. */
    public Number getTtlSeconds() {
        long ms = session.getTtl().toMillis();
        return ms % 1000 == 0 ? (Number) (ms / 1000) : (Number) (ms / 1000.0);
    }
}
