package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.ratelimit.Limit;
import io.mcpcrew.crew.ratelimit.Quota;
import io.mcpcrew.crew.ratelimit.QuotaDecision;
import io.mcpcrew.crew.ratelimit.RateLimitPolicy;
import io.mcpcrew.crew.ratelimit.RateLimiter;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.Map;

/**
 * The rate-limit operations of the API, one place for what the HTTP side ({@link RateLimitResource},
 * {@link RateLimitFilter}) and the MCP tools ({@code io.mcpcrew.crew.web.mcp}) do: the check of a resource, and the
 * charge of a request to one of its {@link Budget}s (the per-tenant {@value Budget#API_WRITES} budget of every write)
 * with the message of a refusal.
 */
public final class RateLimitCalls {
    private RateLimitCalls() {
    }

    /**
     * Counts one request of a {@code POST .../check} body ({@code {"maxRequests","windowSeconds","cost"}}, each
     * optional): with {@code maxRequests} or {@code windowSeconds} the exact log of those numbers, without, the
     * effective policy.
     */
    public static QuotaDecision check(RateLimiter limiter, String tenant, String resource, String body) {
        LimitRequest req = LimitRequest.parse(body, true);
        long cost = req.cost() == null ? 1 : req.cost();
        Quota quota;
        if (req.maxRequests() == null && req.windowSeconds() == null) {
            quota = limiter.quota(tenant, resource);
        } else {
            Quota effective = limiter.quota(tenant, resource);
            if ((req.maxRequests() == null || req.windowSeconds() == null) && !effective.isExactLog()) {
                throw new InvalidInputException("resource '" + resource + "' has a policy of " + effective.limits().size()
                        + " token-bucket or sliding-counter limit(s): give both \"maxRequests\" and \"windowSeconds\""
                        + " to check an exact log, or neither to check the policy");
            }
            RateLimitPolicy p = effective.isExactLog() ? effective.toPolicy() : null;
            quota = Quota.of(resource, RateLimitPolicy.of(req.maxRequests() == null ? p.maxRequests() : req.maxRequests(),
                    req.windowSeconds() == null ? p.window() : Duration.ofSeconds(req.windowSeconds())));
        }
        return limiter.forTenant(tenant).consume(resource, quota, cost);
    }

    /** A decision as the API answers it (the check's body). */
    public static Map<String, Object> view(String tenant, String resource, QuotaDecision d) {
        return QuotaJson.decision(tenant, resource, d);
    }

    /**
     * Charges one request of {@code tenant} to {@code budget}: one check of the budget's effective policy (every
     * limit of it) of the budget's cost, at most what the policy admits at once.
     */
    public static QuotaDecision charge(RateLimiter limiter, Budget budget, String tenant) {
        Quota callerDefault = budget.maxRequests() > 0
                ? Quota.of(budget.resource(), RateLimitPolicy.of(budget.maxRequests(), Duration.ofSeconds(budget.windowSeconds())))
                : null;
        Quota quota = limiter.quota(tenant, budget.resource(), callerDefault);
        return limiter.forTenant(tenant).consume(budget.resource(), quota, Math.min(budget.cost(), quota.maxCost()));
    }

    /** The message of a refused charge (the 429's). */
    public static String refusal(Budget budget, String tenant, QuotaDecision d) {
        Limit l = d.binding().limit();
        return "rate limit exceeded for resource '" + budget.resource() + "' of tenant '" + tenant + "': "
                + (d.limits().size() > 1 ? "limit '" + l.name() + "', " : "") + l.max() + " per "
                + RateLimitHeaders.secondsCeil(l.window()) + "s; retry after " + retryAfterSeconds(d) + "s";
    }

    /** Whole seconds until a refused request would pass, at least 1 (the {@code Retry-After}). */
    public static long retryAfterSeconds(QuotaDecision d) {
        return Math.max(1, RateLimitHeaders.secondsCeil(d.retryAfter()));
    }
}
