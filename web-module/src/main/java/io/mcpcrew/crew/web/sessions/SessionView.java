package io.mcpcrew.crew.web.sessions;

import io.mcpcrew.crew.sessions.Session;
import java.util.Map;

/**
 * A session as JSON: times in ISO-8601 UTC, the TTL in seconds.
 *
 * @param ttlSeconds whole seconds as an integer; a TTL set in milliseconds from Java as a decimal
 */
public record SessionView(String id, String userId, Map<String, Object> data, String createdAt, String lastAccessedAt,
        String expiresAt, Number ttlSeconds) {

    public static SessionView of(Session session) {
        long ms = session.ttl().toMillis();
        return new SessionView(session.id(), session.userId(), session.data(), session.createdAt().toString(),
                session.lastAccessedAt().toString(), session.expiresAt().toString(),
                ms % 1000 == 0 ? (Number) (ms / 1000) : (Number) (ms / 1000.0));
    }
}
