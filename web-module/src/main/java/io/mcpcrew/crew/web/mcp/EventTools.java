package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.web.events.EventCalls;
import io.mcpcrew.crew.web.events.EventsResource;
import io.mcpcrew.crew.web.mcp.ToolDef.RestMethod;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event streams as tools: {@code publish_event} and {@code read_events} (after an id, bounded by a limit and by
 * {@code redis.crew.mcp.max-result-bytes}); the MCP forms of {@link EventsResource}'s publish and replay, through
 * {@link EventCalls}.
 */
final class EventTools {
    static final String STREAM = """
            "stream": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", "description": "The stream name."}""";
    /** Room left in a result for what surrounds the events. */
    private static final int ENVELOPE_BYTES = 1024;

    private EventTools() {
    }

    static List<ToolDef> all(EventManager events, McpSettings settings) {
        return List.of(
                new ToolDef("publish_event", "Publish an event",
                        "Appends an event to a stream of the tenant (created on first use): subscribers and consumer"
                                + " groups receive it. Answers its entry id (null with buffered true while Redis is down"
                                + " and the event waits in the node's journaled buffer). As POST"
                                + " /api/v1/tenants/{tenant}/streams/{stream}/events; counted in api-writes.",
                        """
                        {"type": "object", "properties": {
                        """ + TaskTools.TENANT + ",\n" + STREAM + """
                        ,
                          "type": {"type": "string", "description": "The event type, e.g. \\"order.created\\"."},
                          "data": {"description": "Any JSON value."},
                          "priority": {"type": "string", "description": "low, normal (default), high or critical."},
                          "correlationId": {"type": "string"},
                          "source": {"type": "string"}},
                         "required": ["stream", "type"]}""",
                        """
                        {"type": "object", "properties": {"id": {"type": ["string", "null"]}, "buffered": {"type": "boolean"}},
                         "required": ["id"]}""",
                        ToolDef.hints("Publish an event", false, false, false),
                        new RestMethod(EventsResource.class, "publish"),
                        c -> published(EventCalls.publish(tenant(events, c), stream(c), c.argsJson()))),
                new ToolDef("read_events", "Read events",
                        "Events of a stream, oldest first: after an entry id (exclusive; omitted: from the oldest) or"
                                + " since an ISO-8601 time, at most limit (1 to " + EventCalls.MAX_LIMIT + ", default "
                                + EventCalls.DEFAULT_LIMIT + "). An answer larger than the server's result limit is cut:"
                                + " truncated true, and next is the id to read on after. As GET .../streams/{stream}/events.",
                        """
                        {"type": "object", "properties": {
                        """ + TaskTools.TENANT + ",\n" + STREAM + """
                        ,
                          "after": {"type": "string", "description": "An entry id: read the events after it."},
                          "since": {"type": "string", "description": "An ISO-8601 time: read the events since then (not with after)."},
                          "limit": {"type": "integer", "minimum": 1, "maximum": 10000, "description": "At most this many (default 100)."}},
                         "required": ["stream"]}""",
                        """
                        {"type": "object", "properties": {
                          "events": {"type": "array", "items": {"type": "object", "properties": {
                            "id": {"type": ["string", "null"]}, "type": {"type": "string"}, "tenant": {"type": ["string", "null"]},
                            "timestamp": {"type": "string"}, "priority": {"type": "string"}, "source": {"type": ["string", "null"]},
                            "correlationId": {"type": ["string", "null"]}, "data": {}}}},
                          "truncated": {"type": "boolean"},
                          "next": {"type": ["string", "null"], "description": "The id to read on after (the last one answered)."}},
                         "required": ["events", "truncated", "next"]}""",
                        ToolDef.hints("Read events", true, false, true),
                        new RestMethod(EventsResource.class, "replay"),
                        c -> read(events, c, settings.maxResultBytes() - ENVELOPE_BYTES)));
    }

    private static TenantEvents tenant(EventManager events, ToolCall c) {
        return events.forTenant(c.tenant());
    }

    private static String stream(ToolCall c) {
        return c.required("stream", "the stream name");
    }

    private static Map<String, Object> published(String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (TenantEvents.BUFFERED.equals(id)) {
            m.put("id", null);
            m.put("buffered", true);
        } else {
            m.put("id", id);
        }
        return m;
    }

    /** The events the replay answers, as many as fit {@code budget} bytes of JSON (at least one). */
    private static Map<String, Object> read(EventManager events, ToolCall c, int budget) {
        List<Event> found = EventCalls.replay(tenant(events, c), stream(c), c.string("after"), c.string("since"),
                c.text("limit"));
        List<Object> out = new ArrayList<>(found.size());
        int bytes = 0;
        String last = null;
        for (Event e : found) {
            JsonObject json = EventCalls.json(e);
            int size = json.toString().getBytes(StandardCharsets.UTF_8).length + 1;
            if (!out.isEmpty() && bytes + size > budget) {
                break;
            }
            bytes += size;
            out.add(ToolRunner.java(json));
            last = e.id();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", out);
        m.put("truncated", out.size() < found.size());
        m.put("next", last);
        return m;
    }
}
