package io.mcpcrew.crew.web.servers;

import io.mcpcrew.crew.ejb.probe.ComponentProbe;
import io.mcpcrew.crew.redis.Names;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code GET /api/v1/tenants/{tenant}/probe}: every component, exercised from inside the {@link ComponentProbe}
 * enterprise bean for this tenant. 200 when all components answered, 503 (same body) when one did not; 400 for
 * a tenant id outside the naming rule. The probe writes one short-lived key per component under
 * {@code <prefix>:<tenant>:probe:}.
 *
 * <pre>{"application":"crew-redis","module":"crew-redis-ejb","tenant":"t1","ok":true,
 *  "components":{"redisManager":{"target":"127.0.0.1:6379","keyPrefix":"crew","reachable":true,
 *                 "key":"crew:t1:probe:round-trip","roundTrip":true,"ok":true}}}</pre>
 */
@Path("/v1/tenants/{tenant}/probe")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {
    @Inject
    ComponentProbe probe;

    @GET
    public Response probe(@PathParam("tenant") String tenant) {
        // validated here: thrown inside the enterprise bean it would reach the mapper wrapped as an EJBException
        Map<String, Object> report = probe.probe(Names.tenant(tenant));
        return Response.status(Boolean.TRUE.equals(report.get("ok")) ? 200 : 503).entity(report).build();
    }
}
