package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.web.json.JsonFields;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The arguments of one tool call, read by the HTTP API's strict JSON reader, and the tenant the call acts on.
 *
 * @param tenant   the tenant: the token's, or the one an admin token names
 * @param args     the arguments object
 * @param argsJson the arguments as JSON text: the body the HTTP API's operations read
 * @param call     the MCP request (its caller, its cancellation)
 */
public record ToolCall(String tenant, JsonFields args, String argsJson, McpCall call) {

    /** A string argument that must be given; {@code hint} says what it is. */
    public String required(String name, String hint) {
        return args.requiredString(name, hint);
    }

    /** A string argument, or null. */
    public String string(String name) {
        return args.string(name);
    }

    /**
     * The text of an argument read by the HTTP API as a query parameter (a number's digits, a string's content), or
     * null: the same rule and message as the query parameter of the same name.
     */
    public String text(String name) {
        JsonValue v = args.value(name);
        if (v == null) {
            return null;
        }
        return v.getValueType() == JsonValue.ValueType.STRING ? ((JsonString) v).getString() : v.toString();
    }

    /** An argument as JSON text (the body of an operation that reads one object of the arguments), or null. */
    public String json(String name) {
        JsonValue v = args.value(name);
        return v == null ? null : v.toString();
    }
}
