package io.mcpcrew.crew.events;

import java.time.Instant;

/**
 * An event a consumer group gave up on, as kept in the stream's {@code :dead} stream: the event (its
 * {@link Event#id()} is the dead-letter entry id), the id it had in the stream, the error and delivery count.
 */
public final class DeadLetter {
    private final Event event;
    private final String originalId;
    private final String error;
    private final long deliveries;
    private final String group;
    private final String consumer;
    private final Instant deadAt;

    DeadLetter(Event event, String originalId, String error, long deliveries, String group, String consumer,
            Instant deadAt) {
        this.event = event;
        this.originalId = originalId;
        this.error = error;
        this.deliveries = deliveries;
        this.group = group;
        this.consumer = consumer;
        this.deadAt = deadAt;
    }

    public Event event() {
        return event;
    }

    /** The entry id the event had in its stream. */
    public String originalId() {
        return originalId;
    }

    /** The last handler error ({@code ExceptionClass: message}), or why it was given up. */
    public String error() {
        return error;
    }

    public long deliveries() {
        return deliveries;
    }

    public String group() {
        return group;
    }

    public String consumer() {
        return consumer;
    }

    public Instant deadAt() {
        return deadAt;
    }
}
