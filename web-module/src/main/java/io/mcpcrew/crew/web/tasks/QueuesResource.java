package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.tasks.TaskQueues;
import io.mcpcrew.crew.tasks.TenantTaskQueues;
import io.mcpcrew.crew.web.json.PageJson;
import io.mcpcrew.crew.web.json.Params;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/tenants/{tenant}/queues}: the tenant's queues, a page at a time
 * ({@code ?cursor=&limit=}, names in byte order), with each queue's counts by state when {@code ?stats=true}
 * (one statistics script per queue of the page).
 */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/queues")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "listing", description = "What exists: tenants, queues, tasks by state, streams, models, sessions, policies")
public class QueuesResource {
    static final int DEFAULT_LIMIT = 100;
    /** The largest page with {@code stats=true} (one script per queue). */
    static final int MAX_LIMIT_WITH_STATS = 100;

    @Inject
    TaskQueues queues;

    @GET
    @Operation(summary = "The tenant's queues", description = "{\"tenant\",\"queues\":[{\"queue\",\"stats\"}],"
            + "\"nextCursor\"}; limit 1-1000 (1-100 with stats=true), default 100")
    public JsonObject list(@PathParam("tenant") String tenant, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit, @QueryParam("stats") String stats) {
        boolean withStats = Params.bool("stats", stats, false);
        int n = Params.integer("limit", limit, 1, withStats ? MAX_LIMIT_WITH_STATS : TenantTaskQueues.MAX_PAGE,
                DEFAULT_LIMIT);
        TenantTaskQueues t = queues.forTenant(tenant);
        Page<String> page = t.queueNames(Params.cursor(cursor), n);
        return PageJson.builder(Json.createObjectBuilder().add("tenant", tenant), "queues", page, name -> {
            JsonObjectBuilder q = Json.createObjectBuilder().add("queue", name);
            if (withStats) {
                q.add("stats", TaskListJson.counts(t.queue(name).stats()));
            }
            return q.build();
        }).build();
    }
}
