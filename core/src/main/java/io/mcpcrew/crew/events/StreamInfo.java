package io.mcpcrew.crew.events;

import java.util.List;

/** What a stream holds now: length, first and last entry ids, its consumer groups and its dead letters. */
public final class StreamInfo {
    private final String tenant;
    private final String stream;
    private final long length;
    private final String firstId;
    private final String lastId;
    private final List<GroupInfo> groups;
    private final long deadLetters;

    public StreamInfo(String tenant, String stream, long length, String firstId, String lastId, List<GroupInfo> groups,
            long deadLetters) {
        this.tenant = tenant;
        this.stream = stream;
        this.length = length;
        this.firstId = firstId;
        this.lastId = lastId;
        this.groups = List.copyOf(groups);
        this.deadLetters = deadLetters;
    }

    public String getTenant() {
        return tenant;
    }

    public String getStream() {
        return stream;
    }

    public long getLength() {
        return length;
    }

    /** Id of the oldest entry kept (null if empty). */
    public String getFirstId() {
        return firstId;
    }

    /** Id of the newest entry (null if empty). */
    public String getLastId() {
        return lastId;
    }

    public List<GroupInfo> getGroups() {
        return groups;
    }

    /** Entries in the {@code :dead} stream. */
    public long getDeadLetters() {
        return deadLetters;
    }

    /** One consumer group of a stream. */
    public static final class GroupInfo {
        private final String name;
        private final long consumers;
        private final long pending;
        private final String lastDeliveredId;
        private final Long lag;

        public GroupInfo(String name, long consumers, long pending, String lastDeliveredId, Long lag) {
            this.name = name;
            this.consumers = consumers;
            this.pending = pending;
            this.lastDeliveredId = lastDeliveredId;
            this.lag = lag;
        }

        public String getName() {
            return name;
        }

        public long getConsumers() {
            return consumers;
        }

        /** Entries delivered to a consumer and not acknowledged yet. */
        public long getPending() {
            return pending;
        }

        public String getLastDeliveredId() {
            return lastDeliveredId;
        }

        /** Entries not yet delivered to the group (null when Redis cannot tell, e.g. after deletions). */
        public Long getLag() {
            return lag;
        }
    }
}
