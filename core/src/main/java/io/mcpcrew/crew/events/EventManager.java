package io.mcpcrew.crew.events;

/**
 * Events on Redis Streams, for every tenant of the application: {@code @Inject EventManager events;} then
 * {@code events.forTenant("t1").publish(Event.of(EventType.TASK, data), "orders")}. The implementation is
 * {@link RedisEventManager}; its subscriptions run on container-managed threads and stop at shutdown.
 */
public interface EventManager {

    /** The tenant-bound publisher/subscriber; {@link io.mcpcrew.crew.validation.InvalidNameException} for a bad id. */
    TenantEvents forTenant(String tenant);

    /**
     * Fires every event arriving on the tenant's stream as a CDI event qualified {@link FromStream @FromStream(stream)}
     * and {@link OfType @OfType(type)} (broadcast: every node's observers see every event). Also configurable with
     * {@code redis.crew.events.cdi.streams}. Null group: broadcast; a group: each event reaches one node's
     * observers, and an observer's exception means redelivery (then dead letter).
     */
    Subscription bridgeToCdi(String tenant, String stream, String group);

    /** Events accepted while Redis was down and not yet written to it. */
    int bufferedEvents();

    EventSettings settings();
}
