package io.mcpcrew.crew.events;

import java.time.Instant;

/**
 * An event a consumer group gave up on, as kept in the stream's {@code :dead} stream.
 *
 * @param event the event; its {@link Event#id()} is the dead-letter entry id
 * @param originalId the entry id the event had in its stream
 * @param error the last handler error ({@code ExceptionClass: message}), or why it was given up
 * @param deliveries the deliveries it had when it was given up
 * @param group the consumer group that gave up on it
 * @param consumer the consumer it was pending on when it was given up
 * @param deadAt when it was moved there
 */
public record DeadLetter(Event event, String originalId, String error, long deliveries, String group, String consumer,
        Instant deadAt) {
}
