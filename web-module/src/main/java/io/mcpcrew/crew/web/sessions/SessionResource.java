package io.mcpcrew.crew.web.sessions;

import io.mcpcrew.crew.web.ratelimit.RateLimited;
import jakarta.annotation.security.RolesAllowed;
import io.mcpcrew.crew.redis.InvalidInputException;
import io.mcpcrew.crew.redis.Json;
import io.mcpcrew.crew.sessions.SessionImportance;
import io.mcpcrew.crew.sessions.SessionManager;
import io.mcpcrew.crew.sessions.TenantSessions;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code /api/v1/tenants/{tenant}/sessions}: create (201 {@code {"id"}}), read, merge-update (PATCH: each field of
 * the JSON object is set, a {@code null} removes it), touch, delete. Expired or unknown ids answer 404; a bad
 * user id, TTL, importance or oversized data 400.
 */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/sessions")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {
    @Inject
    SessionManager sessions;

    @PathParam("tenant")
    String tenant;

    @Context
    UriInfo uri;

    private TenantSessions tenantSessions() {
        return sessions.forTenant(tenant);
    }

    @RateLimited // per tenant, resource "api-writes" (redis.crew.ratelimit.api-writes.*)

    @POST
    public Response create(CreateSessionRequest request) {
        if (request == null) {
            throw new InvalidInputException("a JSON body {\"userId\", \"data\", \"ttlSeconds\" | \"importance\"} is required");
        }
        Map<String, Object> data = request.getData() == null ? Map.of() : request.getData();
        String id;
        if (request.getTtlSeconds() != null && request.getImportance() != null) {
            throw new InvalidInputException("give either ttlSeconds or importance, not both");
        } else if (request.getTtlSeconds() != null) {
            id = tenantSessions().createSession(request.getUserId(), data, ttl(request.getTtlSeconds()));
        } else {
            SessionImportance importance = request.getImportance() == null ? SessionImportance.STANDARD
                    : SessionImportance.parse(request.getImportance());
            id = tenantSessions().createSession(request.getUserId(), data, importance);
        }
        return Response.created(uri.getAbsolutePathBuilder().path(id).build()).entity(Map.of("id", id)).build();
    }

    @GET
    @Path("{id}")
    public SessionView get(@PathParam("id") String id) {
        return new SessionView(tenantSessions().getSession(id).orElseThrow(() -> notFound(id)));
    }

    @RateLimited // per tenant, resource "api-writes" (redis.crew.ratelimit.api-writes.*)

    @PATCH
    @Path("{id}")
    public SessionView update(@PathParam("id") String id, Map<String, Object> changes) {
        if (changes == null) {
            throw new InvalidInputException("a JSON object of the fields to change is required (null removes a field)");
        }
        TenantSessions s = tenantSessions();
        if (!s.updateSession(id, changes)) {
            throw notFound(id);
        }
        return new SessionView(s.getSession(id).orElseThrow(() -> notFound(id)));
    }

    @RateLimited // per tenant, resource "api-writes" (redis.crew.ratelimit.api-writes.*)

    @POST
    @Path("{id}/touch")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    public Map<String, String> touch(@PathParam("id") String id, String body) {
        // the body is optional: an empty POST renews by the session's own TTL
        TouchRequest request = body == null || body.isBlank() ? null : Json.fromJson(body, TouchRequest.class);
        TenantSessions s = tenantSessions();
        Instant expires = (request == null || request.getTtlSeconds() == null ? s.touch(id)
                : s.touch(id, ttl(request.getTtlSeconds()))).orElseThrow(() -> notFound(id));
        return Map.of("id", id, "expiresAt", expires.toString());
    }

    @RateLimited // per tenant, resource "api-writes" (redis.crew.ratelimit.api-writes.*)

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        if (!tenantSessions().deleteSession(id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    static Duration ttl(long seconds) {
        if (seconds < 1) {
            throw new InvalidInputException("invalid ttlSeconds " + seconds + ": must be a positive number of seconds");
        }
        return Duration.ofSeconds(seconds);
    }

    private NotFoundException notFound(String id) {
        return new NotFoundException("no session " + id + " in tenant " + tenant + " (unknown or expired)");
    }
}
