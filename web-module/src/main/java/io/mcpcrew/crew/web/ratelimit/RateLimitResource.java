package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.ratelimit.Quota;
import io.mcpcrew.crew.ratelimit.QuotaDecision;
import io.mcpcrew.crew.ratelimit.RateLimitPolicy;
import io.mcpcrew.crew.ratelimit.RateLimiter;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;
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
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * {@code /api/v1/tenants/{tenant}/ratelimits/{resource}}: check (and count) a request, adjust what was counted,
 * read the current usage, read, store or remove the tenant's policy (in Redis, for every node), reset the windows. Bodies and status codes:
 * {@code docs/http-api.md}.
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
     * plus {@code Retry-After}) and the RateLimit fields; 400 for a bad name, limit, window or cost. With
     * {@code maxRequests} or {@code windowSeconds} the exact log of those numbers; without, the effective policy.
     */
    @POST
    @Path("check")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response check(@PathParam("tenant") String tenant, @PathParam("resource") String resource,
            @RequestBody(required = false, description = "{\"maxRequests\": integer, \"windowSeconds\": integer,"
                    + " \"cost\": integer}, each optional", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON)) String raw) {
        return answer(tenant, resource, RateLimitCalls.check(limiter, tenant, resource, raw));
    }

    /**
     * Corrects the tokens counted (the true count is known after the call): {@code {"delta": -250}} gives 250 back,
     * a positive delta charges more, in every token limit of the effective policy: 200 with the state.
     */
    @POST
    @Path("adjust")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response adjust(@PathParam("tenant") String tenant, @PathParam("resource") String resource,
            @RequestBody(required = true, description = "{\"delta\": integer}", content = @Content(
                    mediaType = MediaType.APPLICATION_JSON)) String raw) {
        JsonFields body = JsonBody.object(raw, "{\"delta\": integer}");
        Long delta = body.integer("delta", -QuotaJson.MAX_UNITS, QuotaJson.MAX_UNITS, "the configured ceiling applies too");
        if (delta == null) {
            throw new InvalidInputException("field \"delta\" is required: the tokens to charge (negative: to give back)");
        }
        return answer(tenant, resource, limiter.forTenant(tenant).adjust(resource, delta));
    }

    private static Response answer(String tenant, String resource, QuotaDecision d) {
        Response response = Response.ok(QuotaJson.decision(tenant, resource, d)).build();
        RateLimitHeaders.add(response.getHeaders(), resource, d);
        return response;
    }

    /**
     * What every limit of the tenant's effective policy counts now (used, remaining, reset and retry times), read
     * only: consumes nothing, and as a read is not counted in {@code api-writes}.
     */
    @GET
    @Path("usage")
    public Map<String, Object> usage(@PathParam("tenant") String tenant, @PathParam("resource") String resource) {
        return QuotaJson.usage(tenant, limiter.forTenant(tenant).usage(resource));
    }

    /** The tenant's effective policy for the resource; {@code override}: it is stored for the tenant. */
    @GET
    @Path("policy")
    public Map<String, Object> policy(@PathParam("tenant") String tenant, @PathParam("resource") String resource) {
        Quota q = limiter.quota(tenant, resource);
        return QuotaJson.policy(q, limiter.storedQuota(tenant, resource).isPresent());
    }

    /**
     * Stores the tenant's policy in Redis, for every node (applied within {@code redis.crew.ratelimit.policy-cache}):
     * {@code {"maxRequests","windowSeconds"}} (an exact log, both required) or {@code {"limits":[...]}}.
     */
    @PUT
    @Path("policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @RateLimited(resource = ADMIN_RESOURCE, maxRequests = 60, windowSeconds = 60)
    public Map<String, Object> setPolicy(@PathParam("tenant") String tenant, @PathParam("resource") String resource,
            @RequestBody(required = true, description = "{\"maxRequests\": integer, \"windowSeconds\": integer} or "
                    + "{\"limits\": [{\"name\", \"unit\", \"algorithm\", \"max\", \"windowSeconds\", \"burst\"}]}",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON))
            String raw) {
        JsonFields body = JsonBody.object(raw, "{\"maxRequests\", \"windowSeconds\"} or {\"limits\": [...]}");
        LimitRequest numbers = LimitRequest.of(body, false);
        Quota q = QuotaJson.limits(body);
        if (q != null && (numbers.maxRequests() != null || numbers.windowSeconds() != null)) {
            throw new InvalidInputException("a policy is either \"limits\" or \"maxRequests\" and \"windowSeconds\", "
                    + "not both");
        }
        if (q == null) {
            if (numbers.maxRequests() == null || numbers.windowSeconds() == null) {
                throw new InvalidInputException("a policy needs both \"maxRequests\" and \"windowSeconds\" (or \"limits\")");
            }
            q = Quota.of(resource, RateLimitPolicy.of(numbers.maxRequests(), Duration.ofSeconds(numbers.windowSeconds())));
        }
        limiter.setQuota(tenant, resource, q);
        return QuotaJson.policy(limiter.quota(tenant, resource), true);
    }

    /** Removes the tenant's stored policy: 204, or 404 when there was none. */
    @DELETE
    @Path("policy")
    @RateLimited(resource = ADMIN_RESOURCE, maxRequests = 60, windowSeconds = 60)
    public Response clearPolicy(@PathParam("tenant") String tenant, @PathParam("resource") String resource) {
        if (!limiter.clearPolicy(tenant, resource)) {
            throw new NotFoundException("no stored policy for resource '" + resource + "' of tenant '" + tenant + "'");
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
}
