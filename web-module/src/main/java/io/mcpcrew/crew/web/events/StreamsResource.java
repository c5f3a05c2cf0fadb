package io.mcpcrew.crew.web.events;

import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.web.json.PageJson;
import io.mcpcrew.crew.web.json.Params;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/tenants/{tenant}/streams}: the tenant's streams, a page at a time, names in byte order. */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/streams")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "listing")
public class StreamsResource {
    static final int DEFAULT_LIMIT = 100;

    @Inject
    EventManager events;

    @GET
    @Operation(summary = "The tenant's streams", description = "{\"tenant\",\"streams\":[name],\"nextCursor\"}; "
            + "limit 1-1000, default 100")
    public JsonObject list(@PathParam("tenant") String tenant, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        int n = Params.integer("limit", limit, 1, TenantEvents.MAX_STREAMS_PAGE, DEFAULT_LIMIT);
        TenantEvents t = events.forTenant(tenant);
        return PageJson.builder(Json.createObjectBuilder().add("tenant", tenant), "streams",
                t.streams(Params.cursor(cursor), n), Json::createValue).build();
    }
}
