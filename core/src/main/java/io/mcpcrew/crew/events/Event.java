package io.mcpcrew.crew.events;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Json;
import io.mcpcrew.crew.validation.Names;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One event: {@link EventType type}, JSON {@code data}, and metadata (tenant, timestamp, {@link EventPriority
 * priority}, source, correlation id). Immutable. Build it with {@link #of(EventType, Object)} or
 * {@link #builder(EventType)}; the data is any JSON-B serializable object or a {@code Map}, serialized for you.
 *
 * <p>{@link #id()} is the Redis stream entry id ({@code 1732871234567-0}): null on an event not yet published,
 * set on every event a subscriber or a replay receives. {@link #tenant()} is set by the publisher.
 * Data read from Redis is parsed only when asked for: {@link #data()} (maps, lists, strings, numbers),
 * {@link #data(Class)} (your type) or {@link #dataJson()} (the JSON text).
 */
public final class Event {
    private static final Pattern FREE_TEXT = Pattern.compile("[^\\p{Cntrl}]{1,256}");

    private final String id;
    private final EventType type;
    private final String tenant;
    private final Instant timestamp;
    private final EventPriority priority;
    private final String source;
    private final String correlationId;
    private final String dataJson;
    private volatile Object data;

    private Event(Builder b) {
        this.id = b.id;
        this.type = Objects.requireNonNull(b.type, "type");
        this.tenant = b.tenant;
        this.timestamp = b.timestamp != null ? b.timestamp : Instant.now();
        this.priority = b.priority != null ? b.priority : EventPriority.NORMAL;
        this.source = b.source;
        this.correlationId = b.correlationId;
        this.dataJson = b.dataJson != null ? b.dataJson : Json.toJson(b.data);
        this.data = b.dataJson != null ? null : b.data;
    }

    /** An event of {@code type} carrying {@code data} (serialized to JSON now; null is JSON {@code null}). */
    public static Event of(EventType type, Object data) {
        return builder(type).data(data).build();
    }

    public static Builder builder(EventType type) {
        return new Builder(type);
    }

    /** A builder holding this event's fields, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(type);
        b.id = id;
        b.tenant = tenant;
        b.timestamp = timestamp;
        b.priority = priority;
        b.source = source;
        b.correlationId = correlationId;
        b.dataJson = dataJson;
        return b;
    }

    /** The stream entry id, or null if this event has not been published. */
    public String id() {
        return id;
    }

    public EventType type() {
        return type;
    }

    public String tenant() {
        return tenant;
    }

    public Instant timestamp() {
        return timestamp;
    }

    public EventPriority priority() {
        return priority;
    }

    /** Who published it (a service or node name), or null. */
    public String source() {
        return source;
    }

    /** The id that ties this event to a request, task or conversation, or null. */
    public String correlationId() {
        return correlationId;
    }

    /** The data as JSON text. */
    public String dataJson() {
        return dataJson;
    }

    /** The data: the object given to the builder, or (read from Redis) maps, lists, strings, numbers, booleans. */
    public Object data() {
        Object d = data;
        if (d == null && !"null".equals(dataJson)) {
            d = Json.fromJson(dataJson, Object.class);
            data = d;
        }
        return d;
    }

    /** The data bound to {@code type} with JSON-B; {@link InvalidInputException} if it does not fit. */
    public <T> T data(Class<T> type) {
        return Json.fromJson(dataJson, type);
    }

    /** The data bound to a generic type ({@code new ArrayList<Foo>(){}.getClass().getGenericSuperclass()}). */
    public <T> T data(Type type) {
        return Json.fromJson(dataJson, type);
    }

    @Override
    public String toString() {
        return "Event[" + (id == null ? "unpublished" : id) + " " + type + (tenant == null ? "" : " tenant=" + tenant)
                + " priority=" + priority + (correlationId == null ? "" : " correlationId=" + correlationId) + "]";
    }

    /** Builds an {@link Event}; only the type is required. */
    public static final class Builder {
        private String id;
        private EventType type;
        private String tenant;
        private Instant timestamp;
        private EventPriority priority;
        private String source;
        private String correlationId;
        private Object data;
        private String dataJson;

        private Builder(EventType type) {
            this.type = Objects.requireNonNull(type, "event type");
        }

        public Builder type(EventType type) {
            this.type = Objects.requireNonNull(type, "event type");
            return this;
        }

        /** The data: any JSON-B serializable object, a Map, a List, a String, a number, or null. */
        public Builder data(Object data) {
            this.data = data;
            this.dataJson = null;
            return this;
        }

        /** The data as JSON text already serialized (checked to be JSON). */
        public Builder dataJson(String json) {
            if (json == null) {
                throw new InvalidInputException("event data JSON must not be null (use \"null\")");
            }
            Json.fromJson(json, Object.class); // InvalidInputException if it is not JSON
            this.dataJson = json;
            this.data = null;
            return this;
        }

        public Builder priority(EventPriority priority) {
            this.priority = priority;
            return this;
        }

        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /** Who publishes: 1 to 256 characters, no control characters. */
        public Builder source(String source) {
            this.source = freeText("event source", source);
            return this;
        }

        /** An id linking this event to a request or a task: 1 to 256 characters, no control characters. */
        public Builder correlationId(String correlationId) {
            this.correlationId = freeText("correlation id", correlationId);
            return this;
        }

        /** Set by the publisher (its tenant); a different tenant is refused at publication. */
        public Builder tenant(String tenant) {
            this.tenant = tenant == null ? null : Names.tenant(tenant);
            return this;
        }

        Builder id(String id) {
            this.id = id;
            return this;
        }

        Builder tenantRead(String tenant) {
            this.tenant = tenant;
            return this;
        }

        Builder sourceRead(String source) {
            this.source = source;
            return this;
        }

        Builder correlationIdRead(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        Builder rawDataJson(String json) {
            this.dataJson = json;
            this.data = null;
            return this;
        }

        public Event build() {
            return new Event(this);
        }

        private static String freeText(String kind, String value) {
            if (value != null && !FREE_TEXT.matcher(value).matches()) {
                throw new InvalidInputException("invalid " + kind + " " + Names.quote(value)
                        + ": must be 1 to 256 characters without control characters");
            }
            return value;
        }
    }
}
