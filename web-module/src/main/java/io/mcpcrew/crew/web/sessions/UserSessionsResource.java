package io.mcpcrew.crew.web.sessions;

import jakarta.annotation.security.RolesAllowed;
import io.mcpcrew.crew.sessions.SessionManager;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/tenants/{tenant}/users/{userId}/sessions}: GET lists the user's live sessions (soonest-expiring
 * first), DELETE revokes them all and answers {@code {"deleted": n}}.
 */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/users/{userId}/sessions")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class UserSessionsResource {
    @Inject
    SessionManager sessions;

    @PathParam("tenant")
    String tenant;

    @PathParam("userId")
    String userId;

    @GET
    public List<SessionView> list() {
        return SessionCalls.list(sessions, tenant, userId);
    }

    @DELETE
    public Map<String, Integer> revoke() {
        return Map.of("deleted", sessions.forTenant(tenant).deleteAllSessions(userId));
    }
}
