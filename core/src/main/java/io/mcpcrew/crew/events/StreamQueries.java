package io.mcpcrew.crew.events;

import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * Reads of a stream: replay from an id or a time ({@code XRANGE}), its dead letters, and what it holds now
 * ({@code XINFO}). Replay and info read the writer's own events: events of the stream still in the publisher's
 * buffer are written first, or the read fails as unavailable ({@link EventPublisher#writeBackBeforeReading}).
 */
final class StreamQueries {
    static final int MAX_REPLAY = TenantEvents.MAX_READ;

    private final EventPublisher publisher;

    StreamQueries(EventPublisher publisher) {
        this.publisher = publisher;
    }

    List<Event> replay(TenantRedis t, String stream, String afterId, int limit) {
        Names.require("stream name", stream);
        StreamIds.limit(limit, MAX_REPLAY);
        publisher.writeBackBeforeReading(t, stream);
        String start = afterId == null || "0".equals(afterId) ? "-" : "(" + StreamIds.parse("event id", afterId);
        String key = StreamKeys.stream(t, stream);
        return decodeAll(t.execute(j -> j.xrange(key, start, "+", limit)));
    }

    List<Event> replaySince(TenantRedis t, String stream, Instant since, int limit) {
        if (since == null) {
            throw new InvalidInputException("since must not be null");
        }
        Names.require("stream name", stream);
        StreamIds.limit(limit, MAX_REPLAY);
        publisher.writeBackBeforeReading(t, stream);
        String start = epochMillisClamped(since) + "-0";
        String key = StreamKeys.stream(t, stream);
        return decodeAll(t.execute(j -> j.xrange(key, start, "+", limit)));
    }

    private static List<Event> decodeAll(List<StreamEntry> entries) {
        List<Event> out = new ArrayList<>(entries.size());
        for (StreamEntry e : entries) {
            out.add(EventCodec.decode(e));
        }
        return out;
    }

    /**
     * The entry-id time of an instant: before 1970 is 0, past what a long holds in milliseconds (year 292,278,994)
     * is the largest id time; no entry can be older or newer than those.
     */
    static long epochMillisClamped(Instant i) {
        if (i.isBefore(Instant.EPOCH)) {
            return 0;
        }
        try {
            return i.toEpochMilli();
        } catch (ArithmeticException tooLate) {
            return Long.MAX_VALUE;
        }
    }

    List<DeadLetter> deadLetters(TenantRedis t, String stream, String afterId, int limit) {
        Names.require("stream name", stream);
        StreamIds.limit(limit, MAX_REPLAY);
        String start = afterId == null || "0".equals(afterId) ? "-" : "(" + StreamIds.parse("event id", afterId);
        String key = StreamKeys.dead(t, stream);
        List<StreamEntry> entries = t.execute(j -> j.xrange(key, start, "+", limit));
        List<DeadLetter> out = new ArrayList<>(entries.size());
        for (StreamEntry e : entries) {
            Map<String, String> f = e.getFields();
            out.add(new DeadLetter(EventCodec.decode(e), f.get("dead_original_id"), f.get("dead_error"),
                    parseLong(f.get("dead_deliveries")), f.get("dead_group"), f.get("dead_consumer"),
                    Instant.ofEpochMilli(parseLong(f.get("dead_at")))));
        }
        return out;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    Optional<StreamInfo> info(TenantRedis t, String stream) {
        Names.require("stream name", stream);
        publisher.writeBackBeforeReading(t, stream);
        String key = StreamKeys.stream(t, stream);
        String dead = StreamKeys.dead(t, stream);
        return t.execute(j -> {
            if (!j.exists(key)) {
                return Optional.empty();
            }
            redis.clients.jedis.resps.StreamInfo s = j.xinfoStream(key);
            List<StreamInfo.GroupInfo> groups = new ArrayList<>();
            for (StreamGroupInfo g : j.xinfoGroups(key)) {
                Object lag = g.getGroupInfo().get("lag");
                groups.add(new StreamInfo.GroupInfo(g.getName(), g.getConsumers(), g.getPending(),
                        g.getLastDeliveredId() == null ? null : g.getLastDeliveredId().toString(),
                        lag instanceof Long ? (Long) lag : null));
            }
            long deadCount = j.exists(dead) ? j.xlen(dead) : 0;
            return Optional.of(new StreamInfo(t.tenant(), stream, s.getLength(),
                    s.getFirstEntry() == null ? null : s.getFirstEntry().getID().toString(),
                    s.getLastEntry() == null ? null : s.getLastEntry().getID().toString(), groups, deadCount));
        });
    }
}
