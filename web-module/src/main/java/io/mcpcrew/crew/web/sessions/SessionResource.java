package io.mcpcrew.crew.web.sessions;

import io.mcpcrew.crew.sessions.SessionCounts;
import io.mcpcrew.crew.sessions.SessionImportance;
import io.mcpcrew.crew.sessions.SessionManager;
import io.mcpcrew.crew.sessions.TenantSessions;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;
import io.mcpcrew.crew.web.json.Params;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * {@code /api/v1/tenants/{tenant}/sessions}: counts (GET), create (201 {@code {"id"}}), read, merge-update (PATCH: each field of
 * the JSON object is set, a {@code null} removes it), touch, delete. Expired or unknown ids answer 404; a bad
 * user id, TTL, importance or oversized data 400.
 */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/sessions")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {
    static final int DEFAULT_MAX_USERS = 10_000;

    @Inject
    SessionManager sessions;

    static final String BODY_CREATE = "{\"userId\": string, \"data\": object, \"ttlSeconds\": integer 1..max-ttl"
            + " | \"importance\": \"ephemeral\" | \"standard\" | \"long-lived\"}";
    static final String BODY_UPDATE = "a JSON object of the fields to set; null removes a field";
    static final String BODY_TOUCH = "optional {\"ttlSeconds\": integer 1..max-ttl}; no body renews by the session's own TTL";

    @PathParam("tenant")
    String tenant;

    @Context
    UriInfo uri;

    private TenantSessions tenantSessions() {
        return sessions.forTenant(tenant);
    }

    @POST
    public Response create(@RequestBody(required = true, description = BODY_CREATE, content = @Content(
            mediaType = MediaType.APPLICATION_JSON)) String raw) {
        CreateSessionRequest request = CreateSessionRequest.parse(raw, maxTtlSeconds());
        String id;
        if (request.ttlSeconds() != null && request.importance() != null) {
            throw new InvalidInputException("give either ttlSeconds or importance, not both");
        } else if (request.ttlSeconds() != null) {
            id = tenantSessions().createSession(request.userId(), request.data(), Duration.ofSeconds(request.ttlSeconds()));
        } else {
            SessionImportance importance = request.importance() == null ? SessionImportance.STANDARD
                    : SessionImportance.parse(request.importance());
            id = tenantSessions().createSession(request.userId(), request.data(), importance);
        }
        return Response.created(uri.getAbsolutePathBuilder().path(id).build()).entity(Map.of("id", id)).build();
    }

    /**
     * How many live sessions the tenant has: {@code {"tenant","users","usersVisited","activeUsers","sessionsCounted",
     * "sessions","complete","roundTrips"}}, each user's index counted up to {@code ?maxUsers=} (1-100000, default
     * 10000) users, extrapolated past that.
     */
    @GET
    public Map<String, Object> counts(@QueryParam("maxUsers") String maxUsers) {
        SessionCounts c = sessions.counts(tenant, Params.integer("maxUsers", maxUsers, 1,
                SessionManager.MAX_USERS_COUNTED, DEFAULT_MAX_USERS));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", c.tenant());
        m.put("users", c.users());
        m.put("usersVisited", c.usersVisited());
        m.put("activeUsers", c.activeUsers());
        m.put("sessionsCounted", c.sessionsCounted());
        m.put("sessions", c.sessions());
        m.put("complete", c.complete());
        m.put("roundTrips", c.roundTrips());
        return m;
    }

    @GET
    @Path("{id}")
    public SessionView get(@PathParam("id") String id) {
        return SessionView.of(tenantSessions().getSession(id).orElseThrow(() -> notFound(id)));
    }

    @PATCH
    @Path("{id}")
    public SessionView update(@PathParam("id") String id, @RequestBody(required = true, description = BODY_UPDATE,
            content = @Content(mediaType = MediaType.APPLICATION_JSON)) String raw) {
        Map<String, Object> changes = JsonBody.object(raw, "of the fields to change (null removes a field)").toMap();
        TenantSessions s = tenantSessions();
        if (!s.updateSession(id, changes)) {
            throw notFound(id);
        }
        return SessionView.of(s.getSession(id).orElseThrow(() -> notFound(id)));
    }

    @POST
    @Path("{id}/touch")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    public Map<String, String> touch(@PathParam("id") String id, @RequestBody(required = false, description = BODY_TOUCH,
            content = @Content(mediaType = MediaType.APPLICATION_JSON)) String body) {
        // the body is optional: an empty POST renews by the session's own TTL
        TouchRequest request = TouchRequest.parse(body, maxTtlSeconds());
        TenantSessions s = tenantSessions();
        Instant expires = (request.ttlSeconds() == null ? s.touch(id)
                : s.touch(id, Duration.ofSeconds(request.ttlSeconds()))).orElseThrow(() -> notFound(id));
        return Map.of("id", id, "expiresAt", expires.toString());
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        if (!tenantSessions().deleteSession(id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    /** The {@code ttlSeconds} field: an integer from 1 to the configured largest TTL, or null when not given. */
    static Long ttlSeconds(JsonFields body, long maxTtlSeconds) {
        return body.integer("ttlSeconds", 1, maxTtlSeconds, "redis.crew.sessions.max-ttl");
    }

    private long maxTtlSeconds() {
        return Math.max(1, sessions.maxTtl().getSeconds());
    }

    private NotFoundException notFound(String id) {
        return new NotFoundException("no session " + id + " in tenant " + tenant + " (unknown or expired)");
    }
}
