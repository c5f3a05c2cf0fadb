package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.ratelimit.RateLimitDecision;
import io.mcpcrew.crew.ratelimit.RateLimitPolicy;
import io.mcpcrew.crew.ratelimit.RateLimiter;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * {@code /api/v1/tenants/{tenant}/ratelimits/{resource}}: check (and count) a request, read or override the
 * tenant's policy at run time, reset the window. See {@code docs/ratelimit.md} for bodies and status codes.
 */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/ratelimits/{resource}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class RateLimitResource {
    /** The budget of this API's own write endpoints (policy changes and resets), per tenant. */
    public static final String ADMIN_RESOURCE = "ratelimit-admin";

    @Inject
    RateLimiter limiter;

    /**
     * Counts one request of {@code cost} units: 200 with the decision (also when refused: {@code "allowed":false},
     * plus {@code Retry-After}) and the RateLimit fields; 400 for a bad name, limit, window or cost.
     */
    @POST
    @Path("check")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response check(@PathParam("tenant") String tenant, @PathParam("resource") String resource,
            @RequestBody(required = false, description = "{\"maxRequests\": integer, \"windowSeconds\": integer,"
                    + " \"cost\": integer}, each optional", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON)) String raw) {
        LimitRequest req = LimitRequest.parse(raw, true);
        RateLimitPolicy p = limiter.policy(tenant, resource);
        int max = req.maxRequests() == null ? p.maxRequests() : req.maxRequests();
        Duration window = req.windowSeconds() == null ? p.window() : Duration.ofSeconds(req.windowSeconds());
        int cost = req.cost() == null ? 1 : req.cost();
        RateLimitDecision d = limiter.forTenant(tenant).tryAcquire(resource, max, window, cost);
        Response.ResponseBuilder r = Response.ok(json(tenant, resource, d));
        Response response = r.build();
        RateLimitHeaders.add(response.getHeaders(), resource, d);
        return response;
    }

    /** The tenant's effective policy for the resource. */
    @GET
    @Path("policy")
    public PolicyBody policy(@PathParam("tenant") String tenant, @PathParam("resource") String resource) {
        RateLimitPolicy p = limiter.policy(tenant, resource);
        return new PolicyBody(p.maxRequests(), p.windowSecondsCeil(), limiter.policyOverride(tenant, resource).isPresent());
    }

    /** Overrides the tenant's policy at run time on this node (not persisted; see docs). Both fields required. */
    @PUT
    @Path("policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @RateLimited(resource = ADMIN_RESOURCE, maxRequests = 60, windowSeconds = 60)
    public PolicyBody setPolicy(@PathParam("tenant") String tenant, @PathParam("resource") String resource,
            @RequestBody(required = true, description = "{\"maxRequests\": integer, \"windowSeconds\": integer}",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON))
            String raw) {
        LimitRequest body = LimitRequest.parse(raw, false);
        if (body.maxRequests() == null || body.windowSeconds() == null) {
            throw new InvalidInputException("a policy needs both \"maxRequests\" and \"windowSeconds\"");
        }
        RateLimitPolicy p = RateLimitPolicy.of(body.maxRequests(), Duration.ofSeconds(body.windowSeconds()));
        limiter.setPolicy(tenant, resource, p);
        return new PolicyBody(p.maxRequests(), p.windowSecondsCeil(), true);
    }

    /** Removes the runtime override: 204, or 404 when there was none. */
    @DELETE
    @Path("policy")
    @RateLimited(resource = ADMIN_RESOURCE, maxRequests = 60, windowSeconds = 60)
    public Response clearPolicy(@PathParam("tenant") String tenant, @PathParam("resource") String resource) {
        if (!limiter.clearPolicy(tenant, resource)) {
            throw new NotFoundException("no runtime policy override for resource '" + resource + "' of tenant '"
                    + tenant + "'");
        }
        return Response.noContent().build();
    }

    /** Forgets what was counted for the resource (its window starts empty): 204. */
    @DELETE
    @RateLimited(resource = ADMIN_RESOURCE, maxRequests = 60, windowSeconds = 60)
    public Response reset(@PathParam("tenant") String tenant, @PathParam("resource") String resource) {
        Names.require("resource", resource);
        limiter.forTenant(tenant).reset(resource);
        return Response.noContent().build();
    }

    static Map<String, Object> json(String tenant, String resource, RateLimitDecision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("resource", resource);
        m.put("allowed", d.allowed());
        m.put("limit", d.limit());
        m.put("windowSeconds", RateLimitHeaders.secondsCeil(d.window()));
        m.put("remaining", d.remaining());
        m.put("resetAfterMillis", ceilMillis(d.resetAfter()));
        m.put("retryAfterMillis", ceilMillis(d.retryAfter()));
        m.put("decidedBy", d.decidedBy().name());
        m.put("decidedAt", d.decidedAt().toString());
        return m;
    }

    private static long ceilMillis(Duration d) {
        return (d.toNanos() + 999_999) / 1_000_000;
    }
}
