package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.web.security.AdminOnly;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/mcp}, for the admin group only: the MCP endpoint of this node: its path, the SDK and the JSON
 * library it runs on (and where that was loaded from), its sessions and watched streams against their caps.
 */
@Path("/v1/mcp")
@RequestScoped
@RolesAllowed("**") // MP-JWT: the server authenticates the token; TenantAuthorizationFilter checks the admin group
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class McpStatusResource {
    @Context
    ServletContext context;

    @GET
    public Map<String, Object> status() {
        Object state = context.getAttribute(McpEndpoint.STATE);
        if (state instanceof McpEndpoint.State) {
            return ((McpEndpoint.State) state).view(context.getContextPath());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", false);
        return m;
    }
}
