package io.mcpcrew.crew.events;

import java.util.List;

/**
 * What a stream holds now: length, first and last entry ids, its consumer groups and its dead letters.
 *
 * @param tenant the stream's tenant
 * @param stream the stream name
 * @param length entries in the stream
 * @param firstId id of the oldest entry kept (null if empty)
 * @param lastId id of the newest entry (null if empty)
 * @param groups the stream's consumer groups
 * @param deadLetters entries in the {@code :dead} stream
 */
public record StreamInfo(String tenant, String stream, long length, String firstId, String lastId,
        List<GroupInfo> groups, long deadLetters) {

    public StreamInfo {
        groups = List.copyOf(groups);
    }

    /**
     * One consumer group of a stream.
     *
     * @param name the group name
     * @param consumers consumers the group knows
     * @param pending entries delivered to a consumer and not acknowledged yet
     * @param lastDeliveredId the id of the last entry delivered to the group (null if none)
     * @param lag entries not yet delivered to the group (null when Redis cannot tell, e.g. after deletions)
     */
    public record GroupInfo(String name, long consumers, long pending, String lastDeliveredId, Long lag) {
    }
}
