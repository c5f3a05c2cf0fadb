package io.mcpcrew.crew.web.mcp;

import jakarta.enterprise.concurrent.ManageableThread;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Test-deployment resource: the Jackson the MCP SDK loaded here (and from where), and every thread of the JVM with
 * whether the server manages it ({@link ManageableThread}).
 */
@Path("/v1/test/mcp-threads")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class McpThreadsProbe {
    @GET
    public JsonObject probe() {
        JsonArrayBuilder threads = Json.createArrayBuilder();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            threads.add(Json.createObjectBuilder().add("name", t.getName()).add("managed", t instanceof ManageableThread));
        }
        return Json.createObjectBuilder().add("jackson", McpEndpoint.jackson()).add("threads", threads).build();
    }
}
