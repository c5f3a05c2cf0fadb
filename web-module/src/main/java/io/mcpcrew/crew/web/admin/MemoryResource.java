package io.mcpcrew.crew.web.admin;

import io.mcpcrew.crew.memory.EstimateRequest;
import io.mcpcrew.crew.memory.MemoryEstimate;
import io.mcpcrew.crew.memory.MemoryEstimator;
import io.mcpcrew.crew.redis.KeyspaceScan;
import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.json.Params;
import io.mcpcrew.crew.web.security.AdminOnly;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/admin/memory}: the Redis memory of each tenant and component, estimated by sampling keys with
 * {@code MEMORY USAGE} after a bounded SCAN of every master; the answer states its cost (keys scanned, SCAN calls,
 * round trips, milliseconds) and its precision (standard errors, the share of the keyspace scanned). Admin group only.
 * Bounds, each a query parameter: {@code maxScanCalls} (1-100000, default 1000), {@code scanCount} (10-10000, default
 * 1000), {@code samples} (1-100000, default 2000), {@code usageSamples} (0-1000, default 5), {@code top} (1-1000,
 * default 50), {@code tenant} (one tenant's keys only).
 */
@RolesAllowed("**") // MP-JWT: the server authenticates the token; TenantAuthorizationFilter checks the admin group
@AdminOnly
@Path("/v1/admin/memory")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class MemoryResource {
    @Inject
    MemoryEstimator estimator;

    @GET
    @Operation(summary = "Redis memory per tenant and component, estimated by sampling",
            description = "Reads only; its cost is bounded by maxScanCalls and samples and stated in \"cost\"")
    public JsonObject estimate(@QueryParam("tenant") String tenant, @QueryParam("maxScanCalls") String maxScanCalls,
            @QueryParam("scanCount") String scanCount, @QueryParam("samples") String samples,
            @QueryParam("usageSamples") String usageSamples, @QueryParam("top") String top) {
        EstimateRequest d = EstimateRequest.DEFAULTS;
        String only = tenant == null || tenant.isEmpty() ? null : Names.tenant(tenant);
        EstimateRequest request = new EstimateRequest(only, new KeyspaceScan.Budget(
                Params.integer("scanCount", scanCount, 10, KeyspaceScan.MAX_COUNT, d.scan().count()),
                Params.integer("maxScanCalls", maxScanCalls, 1, KeyspaceScan.MAX_CALLS, d.scan().maxCalls())),
                Params.integer("samples", samples, 1, EstimateRequest.MAX_SAMPLES, d.samples()),
                Params.integer("usageSamples", usageSamples, 0, EstimateRequest.MAX_USAGE_SAMPLES, d.usageSamples()),
                Params.integer("top", top, 1, EstimateRequest.MAX_TOP, d.top()));
        return json(estimator.estimate(request));
    }

    static JsonObject json(MemoryEstimate e) {
        MemoryEstimate.Scan s = e.scan();
        JsonObjectBuilder b = Json.createObjectBuilder().add("at", e.at().toString());
        if (e.tenant() == null) {
            b.addNull("tenant");
        } else {
            b.add("tenant", e.tenant());
        }
        b.add("scan", Json.createObjectBuilder().add("complete", s.complete()).add("coverage", s.coverage())
                .add("keysScanned", s.keysScanned()).add("dbSize", s.dbSize()).add("scanCalls", s.scanCalls())
                .add("maxScanCalls", s.maxScanCalls()).add("scanCount", s.count()));
        b.add("sampling", Json.createObjectBuilder().add("samples", e.sampling().samples())
                .add("maxSamples", e.sampling().maxSamples()).add("vanished", e.sampling().vanished())
                .add("usageSamples", e.sampling().usageSamples())
                .add("error", "standardError: one standard error of bytes, from the spread of the sizes sampled;"
                        + " about 95% of estimates lie within two of the true value"));
        b.add("cost", Json.createObjectBuilder().add("roundTrips", e.cost().roundTrips()).add("millis", e.cost().millis()));
        b.add("total", share(e.total()));
        b.add("components", shares(e.components()));
        JsonArrayBuilder tenants = Json.createArrayBuilder();
        e.tenants().forEach(t -> tenants.add(tenant(t)));
        b.add("tenants", tenants);
        MemoryEstimate.Share o = e.otherTenants();
        b.add("otherTenants", Json.createObjectBuilder().add("tenants", Long.parseLong(o.name())).add("keys", o.keys())
                .add("bytes", o.bytes()).add("standardError", o.standardError()).add("samples", o.samples()));
        b.add("system", tenant(e.system()));
        b.add("outside", share(e.outside()));
        JsonArrayBuilder nodes = Json.createArrayBuilder();
        for (MemoryEstimate.NodeMemory n : e.nodes()) {
            nodes.add(Json.createObjectBuilder().add("node", n.node()).add("dbSize", n.dbSize())
                    .add("keysScanned", n.keysScanned()).add("scanCalls", n.scanCalls()).add("complete", n.complete())
                    .add("usedMemory", n.usedMemory()).add("usedMemoryDataset", n.usedMemoryDataset()));
        }
        b.add("nodes", nodes);
        return b.build();
    }

    private static JsonObjectBuilder tenant(MemoryEstimate.TenantShare t) {
        return Json.createObjectBuilder().add("tenant", t.tenant()).add("keys", t.keys()).add("bytes", t.bytes())
                .add("standardError", t.standardError()).add("samples", t.samples())
                .add("components", shares(t.components()));
    }

    private static JsonArrayBuilder shares(List<MemoryEstimate.Share> shares) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        shares.forEach(s -> a.add(share(s)));
        return a;
    }

    private static JsonObjectBuilder share(MemoryEstimate.Share s) {
        return Json.createObjectBuilder().add("name", s.name()).add("keys", s.keys()).add("bytes", s.bytes())
                .add("standardError", s.standardError()).add("samples", s.samples());
    }
}
