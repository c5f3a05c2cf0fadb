package io.mcpcrew.crew.web.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.tasks.TaskQueues;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.web.ApiExceptionMapper;
import io.mcpcrew.crew.web.ErrorResponse;
import io.mcpcrew.crew.web.events.EventCalls;
import io.mcpcrew.crew.web.tasks.TaskCalls;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.json.JsonValue;
import jakarta.ws.rs.NotFoundException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Resources: a template per queue ({@code crew://tenants/{tenant}/queues/{queue}}: its statistics, as
 * {@code queue_stats}) and per stream ({@code crew://tenants/{tenant}/streams/{stream}}: its information, as
 * {@code GET .../streams/{stream}}). A stream's resource can be subscribed ({@code resources/subscribe}):
 * {@link StreamWatch} then sends {@code notifications/resources/updated} when an event is appended. Reading a
 * resource of another tenant is refused as the HTTP API refuses it.
 */
final class CrewResources {
    static final String QUEUE_TEMPLATE = "crew://tenants/{tenant}/queues/{queue}";
    static final String STREAM_TEMPLATE = "crew://tenants/{tenant}/streams/{stream}";
    private static final String NAME = "([A-Za-z0-9][A-Za-z0-9_-]{0,63})";
    private static final Pattern QUEUE = Pattern.compile("crew://tenants/" + NAME + "/queues/" + NAME);
    private static final Pattern STREAM = Pattern.compile("crew://tenants/" + NAME + "/streams/" + NAME);

    private CrewResources() {
    }

    /** A stream resource's tenant and stream. */
    record StreamUri(String uri, String tenant, String stream) {
    }

    /** The tenant and stream of a stream resource's URI, or null for any other URI. */
    static StreamUri stream(String uri) {
        Matcher m = uri == null ? null : STREAM.matcher(uri);
        return m != null && m.matches() ? new StreamUri(uri, m.group(1), m.group(2)) : null;
    }

    static List<McpServerFeatures.AsyncResourceTemplateSpecification> all(TaskQueues queues, EventManager events,
            ObjectMapper mapper, McpSettings settings) {
        return List.of(
                new McpServerFeatures.AsyncResourceTemplateSpecification(McpSchema.ResourceTemplate
                        .builder(QUEUE_TEMPLATE, "queue-stats").title("Queue statistics")
                        .description("A task queue's statistics (as the queue_stats tool)").mimeType("application/json")
                        .build(),
                        (exchange, request) -> read(exchange, request, QUEUE, settings, mapper,
                                (tenant, queue) -> TaskCalls.view(queues.forTenant(tenant).queue(queue).stats()))),
                new McpServerFeatures.AsyncResourceTemplateSpecification(McpSchema.ResourceTemplate
                        .builder(STREAM_TEMPLATE, "stream-info").title("Event stream")
                        .description("An event stream's length, first and last ids, consumer groups and dead letters;"
                                + " subscribe to be told when an event is appended").mimeType("application/json").build(),
                        (exchange, request) -> read(exchange, request, STREAM, settings, mapper,
                                (tenant, stream) -> EventCalls.json(EventCalls.info(events.forTenant(tenant), stream)))));
    }

    /** What a resource URI's tenant and name read. */
    @FunctionalInterface
    private interface Reader {
        JsonValue read(String tenant, String name);
    }

    private static Mono<McpSchema.ReadResourceResult> read(McpAsyncServerExchange exchange,
            McpSchema.ReadResourceRequest request, Pattern pattern, McpSettings settings, ObjectMapper mapper,
            Reader reader) {
        return Mono.fromCallable(() -> {
            McpCall call = McpCall.of(exchange.transportContext());
            Matcher m = pattern.matcher(request.uri());
            if (call == null || !m.matches()) {
                throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message("no such resource: " + request.uri())
                        .build();
            }
            try {
                String tenant = call.caller().tenantFor(m.group(1), settings.tenantClaim(), settings.adminGroup());
                String text = mapper.writeValueAsString(ToolRunner.java(reader.read(tenant, m.group(2))));
                return new McpSchema.ReadResourceResult(List.of(McpSchema.TextResourceContents
                        .builder(request.uri(), text).mimeType("application/json").build()));
            } catch (NotFoundException e) {
                throw McpError.builder(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND).message(e.getMessage()).build();
            } catch (InvalidInputException | Caller.TenantRefused e) {
                throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(e.getMessage()).build();
            } catch (RuntimeException e) {
                // Redis unavailable, or unexpected: the HTTP API's message (an incident id for the unexpected)
                Object body = new ApiExceptionMapper().toResponse(e).getEntity();
                throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message(body instanceof ErrorResponse
                        ? ((ErrorResponse) body).getMessage() : "internal error").build();
            }
        });
    }
}
