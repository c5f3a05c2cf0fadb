package io.mcpcrew.crew.web.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One MCP request being answered: who sent it, in which session, under which JSON-RPC id, and whether the client
 * has cancelled it ({@code notifications/cancelled}). {@link McpGate} makes it; the tools find it in the SDK's
 * transport context ({@link #of}).
 */
public final class McpCall {
    /** The key of the call in the request attributes and the transport context. */
    static final String KEY = McpCall.class.getName();

    private final Caller caller;
    private final String sessionId;
    private final String requestId;
    private final String arguments;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

    McpCall(Caller caller, String sessionId, String requestId, String arguments) {
        this.caller = caller;
        this.sessionId = sessionId;
        this.requestId = requestId;
        this.arguments = arguments;
    }

    /** A tool call's arguments as the JSON text the client sent, or null. */
    public String arguments() {
        return arguments;
    }

    public Caller caller() {
        return caller;
    }

    public String sessionId() {
        return sessionId;
    }

    public String requestId() {
        return requestId;
    }

    /** Completes when the client cancels the request. */
    public CompletableFuture<Void> cancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled.complete(null);
    }

    /** The transport context the SDK hands to the tools for this call. */
    McpTransportContext context() {
        return McpTransportContext.create(Map.of(KEY, this));
    }

    /** The call of a tool's transport context, or null (no call: the gate did not see the request). */
    public static McpCall of(McpTransportContext context) {
        Object c = context == null ? null : context.get(KEY);
        return c instanceof McpCall ? (McpCall) c : null;
    }
}
