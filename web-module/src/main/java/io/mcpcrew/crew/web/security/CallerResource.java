package io.mcpcrew.crew.web.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code GET /api/v1/whoami}: who the token says its bearer is and what it may reach, without naming a tenant: the
 * tenant of its tenant claim (null if none) and whether it is in the admin group (every tenant). The console signs in
 * with it. Any valid token → 200; none or an invalid one → 401.
 */
@Path("/v1/whoami")
@RequestScoped
@RolesAllowed("**") // MP-JWT: the server authenticates; TenantAuthorizationFilter answers 401 without a token
@Produces(MediaType.APPLICATION_JSON)
public class CallerResource {
    @Inject
    JsonWebToken jwt;

    @Inject
    AuthSettings auth;

    @GET
    public Map<String, Object> caller() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", auth.tenantOf(jwt));
        m.put("admin", auth.isAdmin(jwt));
        m.put("subject", jwt.getSubject());
        m.put("name", jwt.getName());
        m.put("issuer", jwt.getIssuer());
        m.put("groups", jwt.getGroups() == null ? null : new TreeSet<>(jwt.getGroups()));
        m.put("expiresAt", jwt.getExpirationTime());
        return m;
    }
}
