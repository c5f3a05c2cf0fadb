package io.mcpcrew.crew.web.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpcrew.crew.web.ratelimit.RateLimitBinding;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The tool definitions: names, schemas that are JSON Schema 2020-12, the HTTP method each mirrors, truthful hints. */
class ToolDefsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<ToolDef> all() {
        McpSettings s = new McpSettings(true, 1000, 100, 64, Duration.ofMinutes(5), Duration.ofSeconds(30), 1 << 20, 256,
                1 << 24, 32, "tenant", "crew-admin");
        List<ToolDef> all = new ArrayList<>();
        all.addAll(TaskTools.all(null));
        all.addAll(EventTools.all(null, s));
        all.addAll(EmbeddingTools.all(null));
        all.addAll(SessionTools.all(null, false));
        all.addAll(RateLimitTools.all(null));
        return all;
    }

    @Test
    void everyToolHasValidSchemasAndMirrorsAnHttpMethod() throws Exception {
        List<ToolDef> tools = all();
        TreeSet<String> names = new TreeSet<>();
        DefaultJsonSchemaValidator validator = new DefaultJsonSchemaValidator(JSON);
        for (ToolDef t : tools) {
            assertTrue(names.add(t.name()), "two tools named " + t.name());
            assertTrue(t.name().matches("[a-z_]{1,64}"), t.name());
            for (String schema : List.of(t.inputSchema(), t.outputSchema())) {
                JsonNode n = JSON.readTree(schema);
                assertEquals("object", n.get("type").asText(), t.name());
                @SuppressWarnings("unchecked")
                Map<String, Object> map = JSON.convertValue(n, Map.class);
                assertTrue(validator.validateSchema(map).valid(), t.name() + ": " + validator.validateSchema(map).errorMessage());
                for (JsonNode required : n.path("required")) {
                    assertTrue(n.get("properties").has(required.asText()), t.name() + " requires " + required + " it does not describe");
                }
            }
            assertTrue(JSON.readTree(t.inputSchema()).get("properties").has("tenant"), t.name() + " takes no tenant");
            String http = RateLimitBinding.httpMethod(t.mirrors().find());
            boolean readOnly = t.hints().readOnlyHint();
            // a read-only tool mirrors a GET, but for the lookup of embeddings (a POST that changes nothing)
            assertEquals(!readOnly, !"GET".equals(http) && !t.name().equals("lookup_embeddings"), t.name() + " mirrors " + http);
            if (readOnly) {
                assertFalse(t.hints().destructiveHint(), t.name());
                assertTrue(t.hints().idempotentHint(), t.name());
            }
            assertFalse(t.hints().openWorldHint(), t.name());
        }
        assertEquals(new TreeSet<>(List.of("enqueue_task", "enqueue_flow", "get_task", "cancel_task", "queue_stats",
                "publish_event", "read_events", "store_embeddings", "lookup_embeddings", "create_session", "get_session",
                "update_session", "list_user_sessions", "check_rate_limit")), names);
    }

    @Test
    void readingASessionIsNotReadOnlyWhenItRenewsTheSession() {
        ToolDef sliding = SessionTools.all(null, true).stream().filter(t -> t.name().equals("get_session")).findFirst().orElseThrow();
        assertFalse(sliding.hints().readOnlyHint());
        assertTrue(sliding.description().contains("renews"));
    }
}
