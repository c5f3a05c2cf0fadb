package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.ratelimit.RateLimiter;
import io.mcpcrew.crew.ratelimit.StoredPolicy;
import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.json.PageJson;
import io.mcpcrew.crew.web.json.Params;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/tenants/{tenant}/ratelimits}: the policies the tenant stored in Redis, a page at a time, by
 * resource name; each {@code {"resource","valid","maxRequests"?,"windowSeconds"?,"limits"}} as
 * {@code GET .../ratelimits/{resource}/policy} shows a policy ({@code "valid":false, "limits":null} for a stored value
 * that is not a policy, which nodes ignore).
 */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/ratelimits")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "listing")
public class PoliciesResource {
    static final int DEFAULT_LIMIT = 100;

    @Inject
    RateLimiter limiter;

    @GET
    @Operation(summary = "The tenant's stored rate-limit policies", description = "{\"tenant\",\"policies\":[...],"
            + "\"nextCursor\"}; limit 1-1000, default 100")
    public JsonObject list(@PathParam("tenant") String tenant, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        Names.tenant(tenant);
        int n = Params.integer("limit", limit, 1, RateLimiter.MAX_POLICIES_PAGE, DEFAULT_LIMIT);
        return PageJson.builder(Json.createObjectBuilder().add("tenant", tenant), "policies",
                limiter.storedPolicies(tenant, Params.cursor(cursor), n), PoliciesResource::policy).build();
    }

    private static JsonValue policy(StoredPolicy p) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("resource", p.resource()).add("valid", p.quota() != null);
        if (p.quota() == null) {
            return b.addNull("limits").build();
        }
        Map<String, Object> shown = new java.util.LinkedHashMap<>(QuotaJson.policy(p.quota(), true));
        shown.remove("override");
        Json.createObjectBuilder(shown).build().forEach(b::add);
        return b.build();
    }
}
