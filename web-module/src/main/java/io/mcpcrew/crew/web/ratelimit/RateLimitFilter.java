package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.ratelimit.RateLimitDecision;
import io.mcpcrew.crew.ratelimit.RateLimitPolicy;
import io.mcpcrew.crew.ratelimit.RateLimiter;
import io.mcpcrew.crew.web.ErrorResponse;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * Enforces {@link RateLimited}: before the resource method runs, one {@code tryAcquire} for the tenant of the
 * request; refused → 429 with a JSON error, {@code Retry-After} and the {@code RateLimit} / {@code RateLimit-Policy}
 * fields; admitted → the same two fields on the method's response. Runs after authentication and authorization
 * filters ({@link Priorities#AUTHORIZATION} + 100), so unauthenticated calls do not consume a tenant's budget.
 * While Redis is down the configured fallback decides (see {@code docs/ratelimit.md}).
 */
@Provider
@RateLimited
@Priority(Priorities.AUTHORIZATION + 100)
public class RateLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {
    static final String DECISION = RateLimitFilter.class.getName() + ".decision";
    static final String RESOURCE = RateLimitFilter.class.getName() + ".resource";

    @Inject
    RateLimiter limiter;

    @Context
    ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext request) {
        RateLimited spec = spec();
        if (spec == null) {
            return;
        }
        String tenant = request.getUriInfo().getPathParameters().getFirst(spec.tenantParameter());
        if (tenant == null) {
            tenant = RateLimited.GLOBAL_TENANT;
        }
        RateLimitPolicy callerDefault = spec.maxRequests() > 0
                ? RateLimitPolicy.of(spec.maxRequests(), Duration.ofSeconds(spec.windowSeconds())) : null;
        RateLimitPolicy policy = limiter.policy(tenant, spec.resource(), callerDefault);
        RateLimitDecision d = limiter.forTenant(tenant).tryAcquire(spec.resource(), policy.maxRequests(),
                policy.window(), Math.min(spec.cost(), policy.maxRequests()));
        request.setProperty(DECISION, d);
        request.setProperty(RESOURCE, spec.resource());
        if (!d.allowed()) {
            Response.ResponseBuilder r = Response.status(429).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorResponse(429, "Too Many Requests", "rate limit exceeded for resource '"
                            + spec.resource() + "' of tenant '" + tenant + "': " + d.limit() + " per "
                            + RateLimitHeaders.secondsCeil(d.window()) + "s; retry after "
                            + Math.max(1, RateLimitHeaders.secondsCeil(d.retryAfter())) + "s"));
            Response response = r.build();
            RateLimitHeaders.add(response.getHeaders(), spec.resource(), d);
            request.abortWith(response);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object d = request.getProperty(DECISION);
        if (d instanceof RateLimitDecision && !response.getHeaders().containsKey(RateLimitHeaders.RATE_LIMIT)) {
            RateLimitHeaders.add(response.getHeaders(), (String) request.getProperty(RESOURCE), (RateLimitDecision) d);
        }
    }

    private RateLimited spec() {
        Method m = resourceInfo.getResourceMethod();
        RateLimited spec = m == null ? null : m.getAnnotation(RateLimited.class);
        if (spec == null && resourceInfo.getResourceClass() != null) {
            spec = resourceInfo.getResourceClass().getAnnotation(RateLimited.class);
        }
        return spec;
    }
}
