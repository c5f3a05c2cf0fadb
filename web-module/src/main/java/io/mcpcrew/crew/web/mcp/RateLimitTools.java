package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.ratelimit.RateLimiter;
import io.mcpcrew.crew.web.mcp.ToolDef.RestMethod;
import io.mcpcrew.crew.web.ratelimit.RateLimitCalls;
import io.mcpcrew.crew.web.ratelimit.RateLimitResource;
import java.util.List;

/** The rate limiter as a tool: {@code check_rate_limit}, the MCP form of {@link RateLimitResource}'s check. */
final class RateLimitTools {
    private RateLimitTools() {
    }

    static List<ToolDef> all(RateLimiter limiter) {
        return List.of(new ToolDef("check_rate_limit", "Check a rate limit",
                "Counts one request of cost units (default 1) against a resource of the tenant and answers the"
                        + " decision: allowed, remaining, when the window frees up, and per limit of the policy. With"
                        + " maxRequests and windowSeconds an exact sliding window of those numbers; without, the"
                        + " resource's policy (redis.crew.ratelimit.*). A refusal is an answer (allowed false with"
                        + " retryAfterMillis), not an error. As POST /api/v1/tenants/{tenant}/ratelimits/{resource}/check;"
                        + " counted in api-writes.",
                """
                {"type": "object", "properties": {
                """ + TaskTools.TENANT + """
                ,
                  "resource": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", "description": "What is limited, e.g. \\"llm-calls\\"."},
                  "maxRequests": {"type": "integer", "minimum": 1},
                  "windowSeconds": {"type": "integer", "minimum": 1, "maximum": 31622400},
                  "cost": {"type": "integer", "minimum": 1}},
                 "required": ["resource"]}""",
                """
                {"type": "object", "properties": {"tenant": {"type": "string"}, "resource": {"type": "string"},
                  "allowed": {"type": "boolean"}, "limit": {"type": "integer"}, "windowSeconds": {"type": "integer"},
                  "remaining": {"type": "integer"}, "resetAfterMillis": {"type": "integer"},
                  "retryAfterMillis": {"type": "integer"}, "decidedBy": {"type": "string"}, "decidedAt": {"type": "string"},
                  "refusedBy": {"type": "string"}, "limits": {"type": "array", "items": {"type": "object"}}},
                 "required": ["tenant", "resource", "allowed", "remaining"]}""",
                ToolDef.hints("Check a rate limit", false, false, false),
                new RestMethod(RateLimitResource.class, "check"),
                c -> {
                    String resource = c.required("resource", "what is limited, e.g. \"llm-calls\"");
                    return RateLimitCalls.view(c.tenant(), resource,
                            RateLimitCalls.check(limiter, c.tenant(), resource, c.argsJson()));
                }));
    }
}
