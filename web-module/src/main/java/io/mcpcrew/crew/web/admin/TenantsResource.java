package io.mcpcrew.crew.web.admin;

import io.mcpcrew.crew.tenancy.TenantDirectory;
import io.mcpcrew.crew.web.json.PageJson;
import io.mcpcrew.crew.web.json.Params;
import io.mcpcrew.crew.web.security.AdminOnly;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/admin/tenants}: every tenant that wrote through a component, a page at a time, ids in byte order,
 * with how many the registry holds. Admin group only: no token → 401, any other token → 403.
 */
@RolesAllowed("**") // MP-JWT: the server authenticates the token; TenantAuthorizationFilter checks the admin group
@AdminOnly
@Path("/v1/admin/tenants")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "The admin group's view of every tenant")
public class TenantsResource {
    static final int DEFAULT_LIMIT = 100;

    @Inject
    TenantDirectory tenants;

    @GET
    @Operation(summary = "Every tenant", description = "{\"total\",\"tenants\":[id],\"nextCursor\"}; limit 1-1000, "
            + "default 100")
    public JsonObject list(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        int n = Params.integer("limit", limit, 1, TenantDirectory.MAX_PAGE, DEFAULT_LIMIT);
        return PageJson.builder(Json.createObjectBuilder().add("total", tenants.count()), "tenants",
                tenants.tenants(Params.cursor(cursor), n), Json::createValue).build();
    }
}
