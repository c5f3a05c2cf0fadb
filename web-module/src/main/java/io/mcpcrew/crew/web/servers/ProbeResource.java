package io.mcpcrew.crew.web.servers;

import io.mcpcrew.crew.ejb.probe.ComponentProbe;
import io.mcpcrew.crew.web.security.AdminOnly;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code GET /api/v1/probe}: every component, exercised from inside the {@link ComponentProbe} enterprise bean in
 * the probe's reserved tenant ({@value ComponentProbe#TENANT}). 200 when all components answered, 503 (same body)
 * when one did not. It writes to Redis (keys of the probe's tenant, a task, an event), so only the admin group may
 * call it: no token → 401, any other token → 403, and nothing is written then.
 *
 * <pre>{"application":"crew-redis","module":"crew-redis-ejb","tenant":"crew-probe","ok":true,
 *  "components":{"redisManager":{"target":"127.0.0.1:6379","keyPrefix":"crew","reachable":true,
 *                 "key":"crew:crew-probe:probe:round-trip","roundTrip":true,"ok":true}}}</pre>
 */
@RolesAllowed("**") // MP-JWT: the server authenticates the token; TenantAuthorizationFilter checks the admin group
@AdminOnly
@Path("/v1/probe")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {
    @Inject
    ComponentProbe probe;

    @GET
    public Response probe() {
        Map<String, Object> report = probe.probe();
        return Response.status(Boolean.TRUE.equals(report.get("ok")) ? 200 : 503).entity(report).build();
    }
}
