package io.mcpcrew.crew.events;

/**
 * A running subscription. {@link #close()} stops it: no event is delivered after the reader's current read
 * returns (at most {@code redis.crew.events.block}, 1 s by default). Closing twice is harmless.
 */
public interface Subscription extends AutoCloseable {
    String tenant();

    String stream();

    /** The consumer group, or null for a broadcast subscription. */
    String group();

    /** The consumer name within the group ({@code <node-id>-<n>}), or null for a broadcast subscription. */
    String consumer();

    boolean isActive();

    /** The id of the last event handed to the handler (acknowledged or not), or null before the first. */
    String lastDeliveredId();

    /** The last error of the handler ({@code ExceptionClass: message}), or null if it never failed. */
    String lastError();

    @Override
    void close();
}
