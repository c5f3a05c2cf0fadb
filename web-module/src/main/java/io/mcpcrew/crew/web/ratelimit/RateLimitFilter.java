package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.ratelimit.QuotaDecision;
import io.mcpcrew.crew.ratelimit.RateLimiter;
import io.mcpcrew.crew.web.ErrorResponse;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.Supplier;

/**
 * Counts one request against each of its {@link Budget}s (bound by {@link RateLimitBinding}) before the resource
 * method runs: one check of the budget's effective policy (every limit of it, {@code consume}) per budget for the
 * tenant of the request, of the budget's cost (at most what the policy can admit at once); the first refusal → 429
 * with a JSON error, {@code Retry-After} and the {@code RateLimit} / {@code RateLimit-Policy} fields of that budget
 * (one list member per limit); all admitted
 * → the method runs and its response carries the fields of the last budget (the method's own, when it names one).
 * Runs after authentication and authorization ({@link Priorities#AUTHORIZATION} + 100), so unauthenticated calls
 * do not consume a tenant's budget. While Redis is down the configured fallback decides (see
 * {@code docs/ratelimit.md}).
 */
public class RateLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {
    static final String DECISION = RateLimitFilter.class.getName() + ".decision";
    static final String RESOURCE = RateLimitFilter.class.getName() + ".resource";

    private final List<Budget> budgets;
    private final Supplier<RateLimiter> limiter;

    RateLimitFilter(List<Budget> budgets, Supplier<RateLimiter> limiter) {
        this.budgets = List.copyOf(budgets);
        this.limiter = limiter;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        RateLimiter limits = limiter.get();
        for (Budget b : budgets) {
            String tenant = request.getUriInfo().getPathParameters().getFirst(b.tenantParameter());
            if (tenant == null) {
                tenant = RateLimited.GLOBAL_TENANT;
            }
            QuotaDecision d = RateLimitCalls.charge(limits, b, tenant);
            request.setProperty(DECISION, d);
            request.setProperty(RESOURCE, b.resource());
            if (!d.allowed()) {
                Response response = Response.status(429).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ErrorResponse(429, "Too Many Requests", RateLimitCalls.refusal(b, tenant, d))).build();
                RateLimitHeaders.add(response.getHeaders(), b.resource(), d);
                request.abortWith(response);
                return;
            }
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object d = request.getProperty(DECISION);
        if (d instanceof QuotaDecision && !response.getHeaders().containsKey(RateLimitHeaders.RATE_LIMIT)) {
            RateLimitHeaders.add(response.getHeaders(), (String) request.getProperty(RESOURCE), (QuotaDecision) d);
        }
    }
}
