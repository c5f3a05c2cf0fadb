package io.mcpcrew.crew.web.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpcrew.crew.ratelimit.QuotaDecision;
import io.mcpcrew.crew.ratelimit.RateLimiter;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.web.ApiExceptionMapper;
import io.mcpcrew.crew.web.ErrorResponse;
import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;
import io.mcpcrew.crew.web.ratelimit.Budget;
import io.mcpcrew.crew.web.ratelimit.RateLimitBinding;
import io.mcpcrew.crew.web.ratelimit.RateLimitCalls;
import io.mcpcrew.crew.web.security.RequestBodyGuard;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import reactor.core.publisher.Mono;

/**
 * Runs every tool the same way, so that a tool call is an HTTP API call in another envelope:
 * <ol>
 *   <li>the caller comes from the request ({@link McpCall}, put there by {@link McpGate}): no call, no tool;</li>
 *   <li>the arguments, as the text the client sent, are read by the HTTP API's JSON reader (deeper than
 *       {@code redis.crew.http.max-json-depth}: the same 400 as a body);</li>
 *   <li>the tenant is the token's, or the one an admin token names ({@link Caller#tenantFor});</li>
 *   <li>the call is charged to the budgets of the HTTP method it mirrors ({@link RateLimitBinding#budgets}: every
 *       write to {@value Budget#API_WRITES}), refused as the HTTP API refuses;</li>
 *   <li>the handler runs on the request's thread; a stage it returns is waited for there, and the wait ends when the
 *       client cancels ({@code notifications/cancelled});</li>
 *   <li>the result is the structured content and its JSON text (at most {@code redis.crew.mcp.max-result-bytes});
 *       an error is a tool error ({@code isError}) whose text is the HTTP API's error body
 *       {@code {"status","error","message"}} for the same exception ({@link ApiExceptionMapper}).</li>
 * </ol>
 */
final class ToolRunner {
    private final ObjectMapper mapper;
    private final McpJsonMapper json;
    private final RateLimiter limiter;
    private final McpSettings settings;
    private final ApiExceptionMapper errors = new ApiExceptionMapper();

    ToolRunner(ObjectMapper mapper, McpJsonMapper json, RateLimiter limiter, McpSettings settings) {
        this.mapper = mapper;
        this.json = json;
        this.limiter = limiter;
        this.settings = settings;
    }

    /** The SDK's specification of {@code tool}. */
    McpServerFeatures.AsyncToolSpecification spec(ToolDef tool) {
        List<Budget> budgets = RateLimitBinding.budgets(tool.mirrors().resource(), tool.mirrors().find());
        McpSchema.Tool t = McpSchema.Tool.builder().name(tool.name()).title(tool.title())
                .description(tool.description()).inputSchema(json, tool.inputSchema())
                .outputSchema(json, tool.outputSchema()).annotations(tool.hints()).build();
        return McpServerFeatures.AsyncToolSpecification.builder().tool(t)
                .callHandler((exchange, request) -> Mono.fromCallable(() -> run(tool, budgets, exchange, request)))
                .build();
    }

    private McpSchema.CallToolResult run(ToolDef tool, List<Budget> budgets, McpAsyncServerExchange exchange,
            McpSchema.CallToolRequest request) {
        try {
            McpCall call = McpCall.of(exchange.transportContext());
            if (call == null) {
                return error(401, "Unauthorized", "no caller: the request did not pass the MCP endpoint's authentication");
            }
            // the client's own text of the arguments (McpGate took it from the message the SDK parsed): the HTTP API's
            // reader sees the numbers as sent; without it, the SDK's parsed arguments written back
            String argsJson = call.arguments() != null ? call.arguments()
                    : mapper.writeValueAsString(request.arguments() == null ? Map.of() : request.arguments());
            if (RequestBodyGuard.jsonDepth(argsJson.getBytes(StandardCharsets.UTF_8), settings.maxJsonDepth())
                    > settings.maxJsonDepth()) {
                throw new InvalidInputException("JSON body nested deeper than " + settings.maxJsonDepth()
                        + " levels (redis.crew.http.max-json-depth)");
            }
            JsonFields args = JsonBody.object(argsJson, "of the tool's arguments");
            String tenant = call.caller().tenantFor(args.string("tenant"), settings.tenantClaim(), settings.adminGroup());
            for (Budget b : budgets) {
                QuotaDecision d = RateLimitCalls.charge(limiter, b, tenant);
                if (!d.allowed()) {
                    return error(429, "Too Many Requests", RateLimitCalls.refusal(b, tenant, d));
                }
            }
            Object result = tool.handler().handle(new ToolCall(tenant, args, argsJson, call));
            if (result instanceof CompletionStage) {
                result = await(((CompletionStage<?>) result).toCompletableFuture(), call);
            }
            Map<String, Object> structured = structured(result);
            String text = mapper.writeValueAsString(structured);
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > settings.maxResultBytes()) {
                return error(413, "Payload Too Large", "the result of " + tool.name() + " is " + bytes
                        + " bytes, more than " + settings.maxResultBytes() + " (redis.crew.mcp.max-result-bytes): ask"
                        + " for less");
            }
            return McpSchema.CallToolResult.builder().addTextContent(text).structuredContent(structured).build();
        } catch (Throwable e) {
            return error(unwrap(e));
        }
    }

    /** Waits on this (the request's) thread for {@code stage}, or until the client cancels the call. */
    private static Object await(CompletableFuture<?> stage, McpCall call) throws Exception {
        try {
            CompletableFuture.anyOf(stage, call.cancelled()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stage.cancel(false);
            throw new CancellationException("interrupted while waiting");
        }
        if (!stage.isDone()) {
            stage.cancel(false);
            throw new CancellationException("cancelled by the client (notifications/cancelled)");
        }
        return stage.get();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A tool error for an exception: the HTTP API's status and message for it. */
    McpSchema.CallToolResult error(Throwable e) {
        if (e instanceof Caller.TenantRefused) {
            return error(403, "Forbidden", e.getMessage());
        }
        if (e instanceof CancellationException) {
            return error(499, "Client Closed Request", e.getMessage());
        }
        Response r = errors.toResponse(e);
        Object entity = r.getEntity();
        if (entity instanceof ErrorResponse) {
            ErrorResponse er = (ErrorResponse) entity;
            return error(er.getStatus(), er.getError(), er.getMessage());
        }
        return error(r.getStatus(), r.getStatusInfo().getReasonPhrase(), String.valueOf(entity));
    }

    /** A tool error whose text is the HTTP API's error body. */
    McpSchema.CallToolResult error(int status, String reason, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", reason);
        body.put("message", message);
        String text;
        try {
            text = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = message;
        }
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
    }

    /** A handler's result as the structured content (a JSON object) of the tool result. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> structured(Object result) {
        // JSON-P values first (a JsonObject is a Map too); a map of plain values is taken as it is (float[] vectors
        // stay float32 and are written as such); records are converted
        Object value = result instanceof JsonValue ? java((JsonValue) result)
                : result instanceof Map ? result : mapper.convertValue(result, Object.class);
        if (!(value instanceof Map)) {
            throw new IllegalStateException("a tool answered " + (value == null ? "null" : value.getClass().getName())
                    + ", not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    /** A JSON-P value as plain Java values: integers as Long (or BigInteger), other numbers as BigDecimal. */
    static Object java(JsonValue v) {
        switch (v.getValueType()) {
            case STRING:
                return ((JsonString) v).getString();
            case NUMBER: {
                JsonNumber n = (JsonNumber) v;
                if (n.isIntegral()) {
                    java.math.BigInteger i = n.bigIntegerValue();
                    return i.bitLength() < 64 ? (Object) i.longValue() : i;
                }
                return n.bigDecimalValue();
            }
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case NULL:
                return null;
            case ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonValue x : (JsonArray) v) {
                    l.add(java(x));
                }
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                ((JsonObject) v).forEach((k, x) -> m.put(k, java(x)));
                return m;
            }
        }
    }
}
