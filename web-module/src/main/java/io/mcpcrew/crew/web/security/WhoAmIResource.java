package io.mcpcrew.crew.web.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code GET /api/v1/tenants/{tenant}/whoami}: who the token says you are — to check a token before using it. */
@Path("/v1/tenants/{tenant}/whoami")
@RequestScoped
@RolesAllowed("**")
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIResource {
    @Inject
    JsonWebToken jwt;

    @GET
    public Map<String, Object> whoAmI(@PathParam("tenant") String tenant) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("subject", jwt.getSubject());
        m.put("name", jwt.getName());
        m.put("issuer", jwt.getIssuer());
        m.put("groups", jwt.getGroups() == null ? null : new TreeSet<>(jwt.getGroups()));
        m.put("expiresAt", jwt.getExpirationTime());
        return m;
    }
}
