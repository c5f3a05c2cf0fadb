package io.mcpcrew.crew.web.events;

import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventPriority;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.StreamInfo;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;
import io.mcpcrew.crew.web.json.Params;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.NotFoundException;
import java.io.StringReader;
import java.util.List;

/**
 * The event operations of the API, one place for what the HTTP resource ({@link EventsResource}) and the MCP tools
 * ({@code io.mcpcrew.crew.web.mcp}) do: the same body and parameter rules, the same component calls, the same
 * answers and errors (400 {@code InvalidInputException}, 404 {@link NotFoundException}, each with its message).
 */
public final class EventCalls {
    /** Events a replay answers when no limit is given. */
    public static final int DEFAULT_LIMIT = 100;
    /** The most events one replay answers. */
    public static final int MAX_LIMIT = TenantEvents.MAX_READ;

    private EventCalls() {
    }

    /**
     * Publishes the event a {@code POST .../events} body ({@code {"type","data","priority","correlationId","source"}})
     * describes to {@code stream}: its id, or {@link TenantEvents#BUFFERED} while Redis is down.
     */
    public static String publish(TenantEvents events, String stream, String body) {
        JsonFields b = JsonBody.object(body, "{\"type\", \"data\", ...}");
        String type = b.requiredString("type", "the event type, e.g. \"agent\" or \"task.done\"");
        Event.Builder e = Event.builder(EventType.of(type));
        JsonValue data = b.value("data");
        e.dataJson(data == null ? "null" : data.toString());
        String priority = b.string("priority");
        if (priority != null) {
            e.priority(EventPriority.of(priority));
        }
        String correlationId = b.string("correlationId");
        if (correlationId != null) {
            e.correlationId(correlationId);
        }
        String source = b.string("source");
        if (source != null) {
            e.source(source);
        }
        return events.publish(e.build(), stream);
    }

    /**
     * Events of {@code stream} after the entry id {@code after} (exclusive; null: from the oldest) or since the
     * ISO-8601 time {@code since}, at most {@code limit} (the text of an integer from 1 to {@value #MAX_LIMIT}; null:
     * {@value #DEFAULT_LIMIT}). A stream never written is a 404.
     */
    public static List<Event> replay(TenantEvents events, String stream, String after, String since, String limit) {
        int n = limit(limit);
        if (after != null && since != null) {
            throw new InvalidInputException("give either after (an event id) or since (a time), not both");
        }
        List<Event> found = since != null ? events.replaySince(stream, Params.instant("since", since), n)
                : events.replay(stream, after, n);
        if (found.isEmpty()) {
            info(events, stream);
        }
        return found;
    }

    /** The stream's information; a stream never written is a 404. */
    public static StreamInfo info(TenantEvents events, String stream) {
        return events.info(stream).orElseThrow(() -> new NotFoundException("stream " + Names.quote(stream)
                + " of tenant " + Names.quote(events.tenant()) + " does not exist (no event was ever published to it)"));
    }

    /** The {@code limit} of a read: the text of an integer from 1 to {@value #MAX_LIMIT}; null: {@value #DEFAULT_LIMIT}. */
    public static int limit(String raw) {
        return Params.integer("limit", raw, 1, MAX_LIMIT, DEFAULT_LIMIT);
    }

    /** An event as the API answers it: {@code {"id","type","tenant","timestamp","priority","source","correlationId","data"}}. */
    public static JsonObject json(Event e) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("id", nullable(e.id())).add("type", e.type().name())
                .add("tenant", nullable(e.tenant())).add("timestamp", e.timestamp().toString())
                .add("priority", e.priority().name()).add("source", nullable(e.source()))
                .add("correlationId", nullable(e.correlationId()));
        try (jakarta.json.JsonReader r = Json.createReader(new StringReader(e.dataJson()))) {
            b.add("data", r.readValue());
        } catch (RuntimeException bad) {
            b.add("data", e.dataJson()); // written by another service as plain text: pass it on as a string
        }
        return b.build();
    }

    /** Stream information as the API answers it (the fields of {@link StreamInfo}). */
    public static JsonObject json(StreamInfo info) {
        JsonArrayBuilder groups = Json.createArrayBuilder();
        for (StreamInfo.GroupInfo g : info.groups()) {
            JsonObjectBuilder gb = Json.createObjectBuilder().add("name", g.name()).add("consumers", g.consumers())
                    .add("pending", g.pending()).add("lastDeliveredId", nullable(g.lastDeliveredId()));
            if (g.lag() == null) {
                gb.addNull("lag");
            } else {
                gb.add("lag", g.lag());
            }
            groups.add(gb);
        }
        return Json.createObjectBuilder().add("tenant", info.tenant()).add("stream", info.stream())
                .add("length", info.length()).add("firstId", nullable(info.firstId()))
                .add("lastId", nullable(info.lastId())).add("groups", groups).add("deadLetters", info.deadLetters())
                .build();
    }

    private static JsonValue nullable(String s) {
        return s == null ? JsonValue.NULL : Json.createValue(s);
    }
}
