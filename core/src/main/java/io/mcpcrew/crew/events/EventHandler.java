package io.mcpcrew.crew.events;

/**
 * Receives events of a subscription. For a consumer group, returning normally acknowledges the event; throwing
 * leaves it pending, to be delivered again after a backoff and, after {@code redis.crew.events.max-deliveries}
 * deliveries, moved to the dead-letter stream with the exception's message. For a broadcast subscription an
 * exception is logged and the next event follows.
 */
@FunctionalInterface
public interface EventHandler {
    void onEvent(Event event) throws Exception;
}
