package io.mcpcrew.crew.web.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.testing.TestTokens;
import io.mcpcrew.crew.web.Http;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The MCP endpoint of the real WAR on Payara Micro, driven by the MCP Java SDK's own client. */
@ExtendWith(RedisServerExtension.class)
@ExtendWith(ArquillianExtension.class)
class McpMicroIT {
    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar();
    }

    @ArquillianResource
    URL base;

    private McpSyncClient client(String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(Http.root(base))
                .endpoint(base.getPath() + "mcp")
                .httpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(70)).build();
        c.initialize();
        return c;
    }

    @Test
    void smoke() {
        try (McpSyncClient c = client(TestTokens.forTenant("acme"))) {
            McpSchema.ListToolsResult tools = c.listTools();
            System.out.println(tools);
            McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest("enqueue_task",
                    Map.of("queue", "q1", "name", "echo", "payload", Map.of("x", 1))));
            System.out.println(r);
            assertTrue(!Boolean.TRUE.equals(r.isError()), r.toString());
        }
    }
}
