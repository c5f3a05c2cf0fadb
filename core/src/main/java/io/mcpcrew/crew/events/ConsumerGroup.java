package io.mcpcrew.crew.events;

import java.util.List;

/**
 * One consumer group of a stream with its consumers ({@link TenantEvents#groups}).
 *
 * @param name            the group name
 * @param pending         entries delivered to a consumer of the group and not acknowledged yet
 * @param lastDeliveredId the id of the last entry delivered to the group (null if none)
 * @param entriesRead     entries the group has read (null when Redis cannot tell)
 * @param lag             entries not yet delivered to the group (null when Redis cannot tell, e.g. after deletions)
 * @param consumerCount   consumers the group knows
 * @param consumers       the consumers, at most the number asked for (in Redis' order)
 */
public record ConsumerGroup(String name, long pending, String lastDeliveredId, Long entriesRead, Long lag,
        long consumerCount, List<StreamConsumer> consumers) {

    public ConsumerGroup {
        consumers = List.copyOf(consumers);
    }

    /**
     * One consumer of a group.
     *
     * @param name           the consumer name ({@code <node-id>-<n>} for Java subscribers)
     * @param pending        entries delivered to it and not acknowledged yet
     * @param idleMillis     since it last tried to read or claim
     * @param inactiveMillis since its last successful read or claim (null before Redis 7.2, which does not tell)
     */
    public record StreamConsumer(String name, long pending, long idleMillis, Long inactiveMillis) {
    }
}
