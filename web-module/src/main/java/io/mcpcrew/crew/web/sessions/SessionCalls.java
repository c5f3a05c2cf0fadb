package io.mcpcrew.crew.web.sessions;

import io.mcpcrew.crew.sessions.SessionImportance;
import io.mcpcrew.crew.sessions.SessionManager;
import io.mcpcrew.crew.sessions.TenantSessions;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.web.json.JsonBody;
import jakarta.ws.rs.NotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The session operations of the API, one place for what the HTTP resources ({@link SessionResource},
 * {@link UserSessionsResource}) and the MCP tools ({@code io.mcpcrew.crew.web.mcp}) do: the same body rules,
 * component calls, answers and errors (400 {@code InvalidInputException}, 404 {@link NotFoundException}).
 */
public final class SessionCalls {
    private SessionCalls() {
    }

    /** Creates the session a {@code POST .../sessions} body describes; returns its id. */
    public static String create(SessionManager sessions, String tenant, String body) {
        CreateSessionRequest request = CreateSessionRequest.parse(body, maxTtlSeconds(sessions));
        TenantSessions t = sessions.forTenant(tenant);
        if (request.ttlSeconds() != null && request.importance() != null) {
            throw new InvalidInputException("give either ttlSeconds or importance, not both");
        } else if (request.ttlSeconds() != null) {
            return t.createSession(request.userId(), request.data(), Duration.ofSeconds(request.ttlSeconds()));
        }
        SessionImportance importance = request.importance() == null ? SessionImportance.STANDARD
                : SessionImportance.parse(request.importance());
        return t.createSession(request.userId(), request.data(), importance);
    }

    /** The session; unknown or expired: 404. */
    public static SessionView get(SessionManager sessions, String tenant, String id) {
        return SessionView.of(sessions.forTenant(tenant).getSession(id).orElseThrow(() -> notFound(tenant, id)));
    }

    /** Merges a JSON object of changes ({@code null} removes a field) into the session and answers it; 404 if gone. */
    public static SessionView update(SessionManager sessions, String tenant, String id, String body) {
        Map<String, Object> changes = JsonBody.object(body, "of the fields to change (null removes a field)").toMap();
        TenantSessions t = sessions.forTenant(tenant);
        if (!t.updateSession(id, changes)) {
            throw notFound(tenant, id);
        }
        return SessionView.of(t.getSession(id).orElseThrow(() -> notFound(tenant, id)));
    }

    /** The user's live sessions, soonest-expiring first. */
    public static List<SessionView> list(SessionManager sessions, String tenant, String userId) {
        return sessions.forTenant(tenant).listSessions(userId).stream().map(SessionView::of).collect(Collectors.toList());
    }

    /** The largest TTL a request may ask for, in seconds ({@code redis.crew.sessions.max-ttl}). */
    static long maxTtlSeconds(SessionManager sessions) {
        return Math.max(1, sessions.maxTtl().getSeconds());
    }

    /** The 404 of an unknown or expired session. */
    public static NotFoundException notFound(String tenant, String id) {
        return new NotFoundException("no session " + id + " in tenant " + tenant + " (unknown or expired)");
    }
}
