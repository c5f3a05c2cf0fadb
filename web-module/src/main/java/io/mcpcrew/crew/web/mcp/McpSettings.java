package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.config.ConfigSource;
import java.time.Duration;

/**
 * The MCP server's settings, {@code redis.crew.mcp.*} (with the HTTP API's body limits and token claims, which it
 * shares).
 *
 * @param enabled               serve {@code /mcp} at all
 * @param maxSessions           MCP sessions open at once on this node (more: HTTP 503 on {@code initialize})
 * @param maxSessionsPerTenant  of those, per tenant (per admin token subject for admin tokens)
 * @param maxConcurrentRequests MCP requests being answered at once on this node (more: HTTP 503)
 * @param sessionIdleTimeout    a session with no request and no open stream for this long is closed (within twice it)
 * @param keepAlive             ping interval on open listening streams (a client that does not answer loses it)
 * @param maxResultBytes        largest tool result (its JSON text)
 * @param maxSubscriptions      stream resources subscribed at once on this node (over all sessions)
 * @param maxBodyBytes          largest request body ({@code redis.crew.http.max-body-bytes})
 * @param maxJsonDepth          deepest JSON nesting of tool arguments ({@code redis.crew.http.max-json-depth})
 * @param tenantClaim           the token claim naming the tenant ({@code redis.crew.auth.tenant-claim})
 * @param adminGroup            the token group that may act on any tenant ({@code redis.crew.auth.admin-group})
 */
public record McpSettings(boolean enabled, int maxSessions, int maxSessionsPerTenant, int maxConcurrentRequests,
        Duration sessionIdleTimeout, Duration keepAlive, int maxResultBytes, int maxSubscriptions, int maxBodyBytes,
        int maxJsonDepth, String tenantClaim, String adminGroup) {

    public static McpSettings load(ConfigSource c) {
        return new McpSettings(c.bool("redis.crew.mcp.enabled", true),
                c.integer("redis.crew.mcp.max-sessions", 1000, 1, 1_000_000),
                c.integer("redis.crew.mcp.max-sessions-per-tenant", 100, 1, 1_000_000),
                c.integer("redis.crew.mcp.max-concurrent-requests", 64, 1, 100_000),
                c.duration("redis.crew.mcp.session-idle-timeout", Duration.ofMinutes(5), Duration.ofSeconds(1)),
                c.duration("redis.crew.mcp.keep-alive", Duration.ofSeconds(30), Duration.ofSeconds(1)),
                c.integer("redis.crew.mcp.max-result-bytes", 1024 * 1024, 1024, Integer.MAX_VALUE),
                c.integer("redis.crew.mcp.max-subscriptions", 256, 1, 100_000),
                c.integer("redis.crew.http.max-body-bytes", 16 * 1024 * 1024, 1, Integer.MAX_VALUE),
                c.integer("redis.crew.http.max-json-depth", 32, 1, 10_000),
                c.string("redis.crew.auth.tenant-claim", "tenant"),
                c.string("redis.crew.auth.admin-group", "crew-admin"));
    }
}
