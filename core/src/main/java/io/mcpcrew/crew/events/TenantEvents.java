package io.mcpcrew.crew.events;

import io.mcpcrew.crew.paging.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One tenant's event streams. Stream names follow {@link io.mcpcrew.crew.validation.Names#RULE}; the Redis key is
 * {@code <prefix>:<tenant>:events:{<tenant>.<stream>}} (its dead letters: the same key + {@code :dead}).
 */
public interface TenantEvents {
    /** Returned by {@link #publish} when Redis was down and the event waits in the local buffer. */
    String BUFFERED = "buffered";

    /** The most entries one {@link #replay}, {@link #replaySince} or {@link #deadLetters} read returns. */
    int MAX_READ = 10_000;

    /** The most stream names one page of {@link #streams} holds. */
    int MAX_STREAMS_PAGE = 1000;

    /** The most consumers {@link #groups} returns per group. */
    int MAX_CONSUMERS = 1000;

    String tenant();

    /**
     * Appends {@code event} to {@code stream} (trimmed by its retention) and returns the entry id. While Redis is
     * unavailable the event is kept in a bounded, ordered local buffer written to Redis when it returns, and
     * {@link #BUFFERED} is returned; a full buffer throws {@link io.mcpcrew.crew.resilience.FallbackBufferFullException}.
     * An event whose {@link Event#tenant()} is another tenant is refused ({@link io.mcpcrew.crew.validation.InvalidInputException}).
     */
    String publish(Event event, String stream);

    /** Appends all events in one pipelined round trip, in order; returns their ids (all {@link #BUFFERED} if buffered). */
    List<String> publishAll(List<Event> events, String stream);

    /** Broadcast: {@code handler} receives every event published to {@code stream} after this call. */
    Subscription subscribe(String stream, EventHandler handler);

    /**
     * Broadcast from a position: every event after {@code afterId} (exclusive; {@code "0"} is the whole stream),
     * then every new one. An SSE client resuming with {@code Last-Event-ID} uses this.
     */
    Subscription subscribeAfter(String stream, String afterId, EventHandler handler);

    /**
     * Competing consumers: each event of {@code stream} reaches one consumer of {@code group} across all nodes
     * (the group is created at the stream's end on first use). At-least-once, see {@link EventHandler}.
     */
    Subscription subscribe(String stream, String group, EventHandler handler);

    /** Creates {@code group} at {@code startId} ({@code "0"}: the whole stream, {@code "$"}: new events); false if it exists. */
    boolean createGroup(String stream, String group, String startId);

    /** Up to {@code limit} events after {@code afterId} (exclusive; null or {@code "0"}: from the oldest kept). */
    List<Event> replay(String stream, String afterId, int limit);

    /** Up to {@code limit} events published at or after {@code since} (entry-id time). */
    List<Event> replaySince(String stream, Instant since, int limit);

    /** Up to {@code limit} dead letters of {@code stream} after {@code afterId} (null: from the oldest). */
    List<DeadLetter> deadLetters(String stream, String afterId, int limit);

    /**
     * Redrives the dead letter {@code deadLetterId} (its {@link DeadLetter#event()} id): its event is published again
     * to {@code stream} as a new entry (a new id; every consumer group of the stream receives it, as any new event)
     * and the dead letter is removed, in one step. Returns the new entry id, or empty when the stream has no such
     * dead letter (never existed, redriven already, or expired). Needs Redis: while it is unavailable this throws
     * {@link io.mcpcrew.crew.redis.RedisUnavailableException} (nothing is buffered).
     */
    Optional<String> redrive(String stream, String deadLetterId);

    /** Length, first/last id, groups with pending counts and dead letters; empty if the stream does not exist. */
    Optional<StreamInfo> info(String stream);

    /** Applies the stream's retention now (MAXLEN ~ and MINID by age); returns how many entries were removed. */
    long trim(String stream);

    /**
     * The tenant's stream names in byte order, {@code limit} (1 to {@value #MAX_STREAMS_PAGE}) after {@code cursor}
     * (null: the first page), from the registry written on each stream's first write per process: every stream
     * published to, also after its entries were trimmed.
     */
    Page<String> streams(String cursor, int limit);

    /**
     * The consumer groups of {@code stream} with pending entries and lag, each with at most {@code maxConsumers}
     * (0 to {@value #MAX_CONSUMERS}) of its consumers and their pending entries and idle times; empty if the stream
     * does not exist. One connection: {@code XINFO GROUPS}, then {@code XINFO CONSUMERS} per group that has consumers.
     */
    Optional<List<ConsumerGroup>> groups(String stream, int maxConsumers);
}
