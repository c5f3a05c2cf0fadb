package io.mcpcrew.crew.web.mcp;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * One MCP tool: what {@code tools/list} shows of it and what runs it.
 *
 * @param name         the tool's name ({@code enqueue_task})
 * @param title        a human title
 * @param description  what it does, for the model
 * @param inputSchema  JSON Schema (2020-12) of its arguments, as JSON text
 * @param outputSchema JSON Schema of its structured result, as JSON text
 * @param hints        its annotations (read-only, destructive, idempotent), set truthfully
 * @param mirrors      the HTTP API method it is the MCP form of: its rate-limit budgets are that method's
 * @param handler      the work
 */
public record ToolDef(String name, String title, String description, String inputSchema, String outputSchema,
        McpSchema.ToolAnnotations hints, RestMethod mirrors, ToolHandler handler) {

    /** The annotations of a tool: {@code readOnly} implies neither destructive nor not idempotent. */
    public static McpSchema.ToolAnnotations hints(String title, boolean readOnly, boolean destructive, boolean idempotent) {
        return McpSchema.ToolAnnotations.builder().title(title).readOnlyHint(readOnly).destructiveHint(destructive)
                .idempotentHint(idempotent).openWorldHint(false).build();
    }

    /** What a tool does with its call: a result (JSON-P value, map, list, record) or a stage of one. */
    @FunctionalInterface
    public interface ToolHandler {
        Object handle(ToolCall call) throws Exception;
    }

    /**
     * A method of a JAX-RS resource class, by name (the one public method of that name with an HTTP method).
     *
     * @param resource the resource class
     * @param method   the method's name
     */
    public record RestMethod(Class<?> resource, String method) {
        /** The method itself. */
        public java.lang.reflect.Method find() {
            java.lang.reflect.Method found = null;
            for (java.lang.reflect.Method m : resource.getMethods()) {
                if (m.getName().equals(method) && io.mcpcrew.crew.web.ratelimit.RateLimitBinding.httpMethod(m) != null) {
                    if (found != null) {
                        throw new IllegalStateException(resource.getName() + " has two HTTP methods named " + method);
                    }
                    found = m;
                }
            }
            if (found == null) {
                throw new IllegalStateException(resource.getName() + " has no HTTP method named " + method);
            }
            return found;
        }
    }
}
