package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.sessions.SessionManager;
import io.mcpcrew.crew.web.mcp.ToolDef.RestMethod;
import io.mcpcrew.crew.web.sessions.SessionCalls;
import io.mcpcrew.crew.web.sessions.SessionResource;
import io.mcpcrew.crew.web.sessions.UserSessionsResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions as tools: {@code create_session}, {@code get_session}, {@code update_session},
 * {@code list_user_sessions}; the MCP forms of {@link SessionResource} and {@link UserSessionsResource}, through
 * {@link SessionCalls}.
 */
final class SessionTools {
    private static final String SESSION = """
            {"type": "object", "properties": {
              "id": {"type": "string"}, "userId": {"type": ["string", "null"]}, "data": {"type": "object"},
              "createdAt": {"type": "string"}, "lastAccessedAt": {"type": "string"}, "expiresAt": {"type": "string"},
              "ttlSeconds": {"type": "number"}},
             "required": ["id", "data", "expiresAt"]}""";
    private static final String ID = """
            "id": {"type": "string", "description": "The session id create_session answered."}""";
    private static final String USER = """
            "userId": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", "description": "The user."}""";

    private SessionTools() {
    }

    /**
     * @param slidingExpiry {@code redis.crew.sessions.sliding-expiry}: a read renews the session, so reading is not
     *                      read-only
     */
    static List<ToolDef> all(SessionManager sessions, boolean slidingExpiry) {
        return List.of(
                new ToolDef("create_session", "Create a session",
                        "Creates a session of the tenant with a TTL: ttlSeconds (1 to redis.crew.sessions.max-ttl) or an"
                                + " importance (ephemeral, standard: the default, long-lived), not both; data is a JSON"
                                + " object. Answers its id. As POST /api/v1/tenants/{tenant}/sessions; counted in api-writes.",
                        """
                        {"type": "object", "properties": {
                        """ + TaskTools.TENANT + ",\n" + USER + """
                        ,
                          "data": {"type": "object", "description": "The session's fields."},
                          "ttlSeconds": {"type": "integer", "minimum": 1},
                          "importance": {"type": "string", "enum": ["ephemeral", "standard", "long-lived"]}}}""",
                        """
                        {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}""",
                        ToolDef.hints("Create a session", false, false, false),
                        new RestMethod(SessionResource.class, "create"),
                        c -> Map.of("id", SessionCalls.create(sessions, c.tenant(), c.argsJson()))),
                new ToolDef("get_session", "Read a session",
                        "The session: its user, data, creation, last access and expiry; unknown or expired: 404."
                                + (slidingExpiry ? " Reading renews its expiry (sliding expiry is on)." : "")
                                + " As GET .../sessions/{id}.",
                        """
                        {"type": "object", "properties": {
                        """ + TaskTools.TENANT + ",\n" + ID + """
                        },
                         "required": ["id"]}""",
                        SESSION,
                        ToolDef.hints("Read a session", !slidingExpiry, false, true),
                        new RestMethod(SessionResource.class, "get"),
                        c -> SessionCalls.get(sessions, c.tenant(), c.required("id", "the session id"))),
                new ToolDef("update_session", "Update a session",
                        "Merges changes into the session's data atomically: each field is set, a null removes it."
                                + " Answers the session; unknown or expired: 404. As PATCH .../sessions/{id} with changes"
                                + " as the body; counted in api-writes.",
                        """
                        {"type": "object", "properties": {
                        """ + TaskTools.TENANT + ",\n" + ID + """
                        ,
                          "changes": {"type": "object", "description": "The fields to set; null removes a field."}},
                         "required": ["id", "changes"]}""",
                        SESSION,
                        ToolDef.hints("Update a session", false, true, true),
                        new RestMethod(SessionResource.class, "update"),
                        c -> {
                            String id = c.required("id", "the session id");
                            if (c.args().object("changes") == null) {
                                throw new io.mcpcrew.crew.validation.InvalidInputException("field \"changes\" is"
                                        + " required: a JSON object of the fields to set (null removes a field)");
                            }
                            return SessionCalls.update(sessions, c.tenant(), id, c.json("changes"));
                        }),
                new ToolDef("list_user_sessions", "List a user's sessions",
                        "The user's live sessions, soonest-expiring first. As GET .../users/{userId}/sessions.",
                        """
                        {"type": "object", "properties": {
                        """ + TaskTools.TENANT + ",\n" + USER + """
                        },
                         "required": ["userId"]}""",
                        """
                        {"type": "object", "properties": {"sessions": {"type": "array", "items": {"type": "object"}}},
                         "required": ["sessions"]}""",
                        ToolDef.hints("List a user's sessions", true, false, true),
                        new RestMethod(UserSessionsResource.class, "list"),
                        c -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("sessions", SessionCalls.list(sessions, c.tenant(), c.required("userId", "the user")));
                            return m;
                        }));
    }
}
