package io.mcpcrew.crew.web.events;

import io.mcpcrew.crew.events.ConsumerGroup;
import io.mcpcrew.crew.events.DeadLetter;
import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.events.StreamInfo;
import io.mcpcrew.crew.events.Subscription;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.json.Params;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * {@code /api/v1/tenants/{tenant}/streams/{stream}}: publish, replay, live SSE, stream information, consumer groups
 * with their consumers, dead letters and their redrive.
 * Events are JSON objects {@code {"id","type","tenant","timestamp","priority","source","correlationId","data"}}.
 */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/streams/{stream}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    static final long HEARTBEAT_SECONDS = 15;
    static final int DEFAULT_CONSUMERS = 100;

    @Inject
    EventManager events;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @PathParam("tenant")
    String tenant;

    @PathParam("stream")
    String stream;

    /** Body {@code {"type","data","priority","correlationId","source"}} → 201 {@code {"id"}} (202 while buffered). */
    @POST
    @Path("/events")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response publish(@RequestBody(required = true, description = "{\"type\": string (required), \"data\": any"
            + " JSON, \"priority\": string, \"correlationId\": string, \"source\": string}", content = @Content(
            mediaType = MediaType.APPLICATION_JSON)) String raw) {
        String id = EventCalls.publish(tenantEvents(), stream, raw);
        if (TenantEvents.BUFFERED.equals(id)) {
            return Response.status(Response.Status.ACCEPTED).entity(Json.createObjectBuilder().addNull("id")
                    .add("buffered", true).build()).build();
        }
        return Response.status(Response.Status.CREATED).entity(Json.createObjectBuilder().add("id", id).build()).build();
    }

    /** Replay: events after {@code after} (exclusive, default: from the oldest) or since {@code since} (ISO-8601). */
    @GET
    @Path("/events")
    public JsonArray replay(@QueryParam("after") String after, @QueryParam("since") String since,
            @QueryParam("limit") String limitParam) {
        List<Event> found = EventCalls.replay(tenantEvents(), stream, after, since, limitParam);
        JsonArrayBuilder out = Json.createArrayBuilder();
        found.forEach(e -> out.add(json(e)));
        return out.build();
    }

    /**
     * Live events as {@code text/event-stream}: each SSE {@code id} is the entry id, {@code event} the type, {@code data}
     * the event JSON. A reconnecting client sends {@code Last-Event-ID} and first receives what it missed; without it,
     * {@code ?after=<id>} does the same and no position means "from now on". A comment every 15 s keeps proxies
     * from closing an idle connection and notices gone clients.
     */
    @GET
    @Path("/sse")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void sse(@Context SseEventSink sink, @Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") String after) {
        TenantEvents t = tenantEvents();
        Names.require("stream name", stream);
        String from = lastEventId != null && !lastEventId.isBlank() ? lastEventId.trim() : after;
        AtomicReference<Subscription> sub = new AtomicReference<>();
        AtomicReference<ScheduledFuture<?>> heartbeat = new AtomicReference<>();
        Runnable stop = () -> {
            Subscription s = sub.get();
            if (s != null) {
                s.close();
            }
            ScheduledFuture<?> h = heartbeat.get();
            if (h != null) {
                h.cancel(false);
            }
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // already closed by the client
            }
        };
        io.mcpcrew.crew.events.EventHandler send = e -> {
            if (sink.isClosed()) {
                stop.run();
                return;
            }
            sink.send(sse.newEventBuilder().id(e.id()).name(e.type().name())
                    .data(String.class, json(e).toString()).build()).whenComplete((r, err) -> {
                        if (err != null) {
                            stop.run();
                        }
                    });
        };
        sub.set(from == null ? t.subscribe(stream, send) : t.subscribeAfter(stream, from, send));
        if (scheduler != null) {
            heartbeat.set(scheduler.scheduleWithFixedDelay(() -> {
                if (sink.isClosed()) {
                    stop.run();
                } else {
                    sink.send(sse.newEventBuilder().comment("keep-alive").build()).whenComplete((r, err) -> {
                        if (err != null) {
                            stop.run();
                        }
                    });
                }
            }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS));
        }
    }

    /** Length, first/last id, groups (consumers, pending, lag) and dead-letter count; 404 for a stream never written. */
    @GET
    public StreamInfo info() {
        return requireStream(tenantEvents());
    }

    /**
     * The stream's consumer groups with pending entries and lag, each with up to {@code consumers} (0-1000, default
     * 100) of its consumers; 404 for a stream that does not exist.
     */
    @GET
    @Path("/groups")
    public JsonObject groups(@QueryParam("consumers") String consumersParam) {
        int max = Params.integer("consumers", consumersParam, 0, TenantEvents.MAX_CONSUMERS, DEFAULT_CONSUMERS);
        List<ConsumerGroup> groups = tenantEvents().groups(stream, max).orElseThrow(this::noStream);
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (ConsumerGroup g : groups) {
            JsonArrayBuilder consumers = Json.createArrayBuilder();
            for (ConsumerGroup.StreamConsumer c : g.consumers()) {
                consumers.add(Json.createObjectBuilder().add("name", c.name()).add("pending", c.pending())
                        .add("idleMillis", c.idleMillis()).add("inactiveMillis", nullable(c.inactiveMillis())));
            }
            out.add(Json.createObjectBuilder().add("name", g.name()).add("pending", g.pending())
                    .add("lastDeliveredId", nullable(g.lastDeliveredId())).add("entriesRead", nullable(g.entriesRead()))
                    .add("lag", nullable(g.lag())).add("consumerCount", g.consumerCount()).add("consumers", consumers));
        }
        return Json.createObjectBuilder().add("tenant", tenant).add("stream", stream).add("groups", out).build();
    }

    /** Dead letters of the stream's groups, oldest first. */
    @GET
    @Path("/dead-letters")
    public JsonArray deadLetters(@QueryParam("after") String after, @QueryParam("limit") String limitParam) {
        TenantEvents t = tenantEvents();
        int limit = limit(limitParam);
        List<DeadLetter> dead = t.deadLetters(stream, after, limit);
        if (dead.isEmpty()) {
            requireStream(t);
        }
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (DeadLetter d : dead) {
            out.add(Json.createObjectBuilder().add("event", json(d.event()))
                    .add("originalId", nullable(d.originalId())).add("error", nullable(d.error()))
                    .add("deliveries", d.deliveries()).add("group", nullable(d.group()))
                    .add("consumer", nullable(d.consumer())).add("deadAt", d.deadAt().toString()));
        }
        return out.build();
    }

    /**
     * Redrives a dead letter (its {@code event.id} in the dead-letter list): its event is published again to the
     * stream as a new entry, which every group of the stream receives, and the dead letter is removed, in one step.
     * 200 {@code {"id","redrivenAs"}}; 404 if the stream has no such dead letter; 503 while Redis is unavailable.
     */
    @POST
    @Path("/dead-letters/{id}/redrive")
    public JsonObject redrive(@PathParam("id") String id) {
        String newId = tenantEvents().redrive(stream, id).orElseThrow(() -> new NotFoundException("stream "
                + Names.quote(stream) + " of tenant " + Names.quote(tenant) + " has no dead letter " + Names.quote(id)
                + " (never there, redriven already, or expired)"));
        return Json.createObjectBuilder().add("id", id).add("redrivenAs", newId).build();
    }

    private TenantEvents tenantEvents() {
        TenantEvents t = events.forTenant(tenant);
        Names.require("stream name", stream);
        return t;
    }

    private StreamInfo requireStream(TenantEvents t) {
        return EventCalls.info(t, stream);
    }

    private NotFoundException noStream() {
        return new NotFoundException("stream " + Names.quote(stream) + " of tenant " + Names.quote(tenant)
                + " does not exist (no event was ever published to it)");
    }

    static JsonObject json(Event e) {
        return EventCalls.json(e);
    }

    private static JsonValue nullable(String s) {
        return s == null ? JsonValue.NULL : Json.createValue(s);
    }

    private static JsonValue nullable(Long n) {
        return n == null ? JsonValue.NULL : Json.createValue(n);
    }

    private static int limit(String raw) {
        return EventCalls.limit(raw);
    }
}
