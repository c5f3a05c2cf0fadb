package io.mcpcrew.crew.events;

import io.mcpcrew.crew.journal.Record;
import io.mcpcrew.crew.journal.RecordCodec;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.NotReplicatedException;
import io.mcpcrew.crew.redis.RedisDataException;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.redis.WriteKind;
import io.mcpcrew.crew.resilience.FallbackBuffer;
import io.mcpcrew.crew.resilience.WriteBack;
import io.mcpcrew.crew.tenancy.NameRegistry;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

/**
 * Publishes events: {@code XADD} (one, or a pipelined batch), each trimmed by its stream's retention. While Redis is
 * unavailable the events go to a bounded, ordered {@link FallbackBuffer} (journaled when the manager has a journal),
 * and while it holds any, later events queue behind them. The buffer is registered as the manager's "events"
 * {@link WriteBack}: written to Redis in order when it is available, each event once — an event buffered after an
 * attempt with an unknown outcome is replayed by {@code publish_once.lua}, which checks its publish id first.
 */
final class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class.getName());
    private static final LuaScript PUBLISH_ONCE = LuaScript.fromResource(EventPublisher.class, "publish_once.lua");
    /** What a caller told that an event's write was not confirmed by the replicas should do. */
    static final String RETRY_ADVICE = "publish it again; if the first write survived, the stream then holds the "
            + "event twice (events carry no idempotency key: consumers that must not act twice check a key of their own)";
    /** How far before a failed attempt's own clock a replay looks for its publish id (clock skew with Redis). */
    static final long REPLAY_SKEW_MS = 10_000;

    private final RedisManager redis;
    private final EventSettings settings;
    private final StreamTrimmer trimmer;
    private final FallbackBuffer<Pending> buffer;
    private final StreamRegistry registry;
    private final EventMetrics metrics;
    private final NameRegistry catalog;

    EventPublisher(RedisManager redis, EventSettings settings, StreamTrimmer trimmer) {
        this.redis = redis;
        this.settings = settings;
        this.trimmer = trimmer;
        this.catalog = new NameRegistry(redis);
        this.buffer = new FallbackBuffer<>("events", settings.bufferCapacity(), redis.journal("events"),
                new PendingCodec());
        redis.registerScript(PUBLISH_ONCE);
        redis.addWriteBack(WriteBack.of("events", buffer::size, this::writeBack));
        this.registry = new StreamRegistry(redis);
        this.metrics = EventMetrics.of(redis.metrics());
        redis.metrics().fallback("events", buffer::size, buffer::journaled);
    }

    StreamRegistry registry() {
        return registry;
    }

    /**
     * An event accepted while Redis was down: its fields (with its publish id), whether the failed attempt may have
     * been applied (then the replay checks the stream for the publish id first), and when it was made.
     */
    private record Pending(TenantRedis tenant, String stream, Map<String, String> fields, boolean maybeWritten,
            long attemptedAt) {
    }

    /** A pending event as a journal record. */
    private final class PendingCodec implements RecordCodec<Pending> {
        @Override
        public byte[] encode(Pending p) {
            return Record.write(1).str(p.tenant().tenant()).str(p.stream()).lng(p.maybeWritten() ? 1 : 0)
                    .lng(p.attemptedAt()).map(p.fields()).bytes();
        }

        @Override
        public Pending decode(byte[] record) {
            Record.Reader r = Record.read(record, 1);
            TenantRedis t = redis.forTenant(r.str());
            String stream = r.str();
            boolean maybeWritten = r.lng() == 1;
            long attemptedAt = r.lng();
            return new Pending(t, stream, r.map(), maybeWritten, attemptedAt);
        }
    }

    /** Events accepted while Redis was down and not yet written to it. */
    int buffered() {
        return buffer.size();
    }

    /** Logs what shutdown leaves unwritten: kept in the journal for the next start, or lost without one. */
    void warnIfUnwritten() {
        if (!buffer.isEmpty()) {
            LOG.warning(() -> buffer.size() + " buffered event(s) were not written to Redis before shutdown"
                    + (buffer.journaled() > 0 ? "; they are in the fallback journal and are written when a node starts "
                    + "again on its directory" : " and are lost (no fallback journal)"));
        }
    }

    private static Map<String, String> fields(TenantRedis t, Event e) {
        if (e == null) {
            throw new InvalidInputException("event must not be null");
        }
        if (e.tenant() != null && !e.tenant().equals(t.tenant())) {
            throw new InvalidInputException("event of tenant " + Names.quote(e.tenant()) + " cannot be published by "
                    + "tenant " + Names.quote(t.tenant()) + ": an event belongs to the tenant that publishes it");
        }
        return EventCodec.encode(e, t.tenant());
    }

    String publish(TenantRedis t, Event event, String stream) {
        return publishAll(t, Collections.singletonList(event), stream).get(0);
    }

    List<String> publishAll(TenantRedis t, List<Event> events, String stream) {
        Names.require("stream name", stream);
        if (events == null) {
            throw new InvalidInputException("events must not be null");
        }
        List<Map<String, String>> all = new ArrayList<>(events.size());
        for (Event e : events) {
            all.add(fields(t, e));
        }
        if (all.isEmpty()) {
            return List.of();
        }
        java.util.function.Predicate<Pending> sameStream = ofStream(t, stream);
        if (!redis.useFallback() && buffer.anyMatch(sameStream)) {
            writeBack(); // this stream's events accepted earlier go first: its order of acceptance is kept
        }
        long attemptedAt = System.currentTimeMillis();
        boolean[] buffered = {false};
        List<String> ids;
        try {
            ids = redis.withFallbackUnlessDurable(() -> {
                buffer.requireNoneWaiting(sameStream, "stream " + t.tenant() + "/" + stream);
                return all.size() == 1 ? List.of(xadd(t, stream, all.get(0)).toString()) : xaddAll(t, stream, all);
            }, maybeWritten -> {
                buffered[0] = true;
                // a pipeline cut mid-way may have written some of them: each replay checks its publish id
                List<Pending> p = new ArrayList<>(all.size());
                for (Map<String, String> f : all) {
                    p.add(new Pending(t, stream, f, maybeWritten, attemptedAt));
                }
                buffer.addAll(p);
                return Collections.nCopies(p.size(), TenantEvents.BUFFERED);
            });
        } catch (NotReplicatedException e) {
            throw e.about((all.size() == 1 ? "event" : all.size() + " events") + " of stream " + Names.quote(stream)
                    + " of tenant " + Names.quote(t.tenant()), RETRY_ADVICE);
        }
        metrics.published(t.tenant(), stream, ids.size(), buffered[0]);
        return ids;
    }

    /** The registry of the tenant's streams, which {@link StreamBrowser} reads. */
    NameRegistry catalog() {
        return catalog;
    }

    /** Puts the stream in the tenant's registry (once per process) before its first write. */
    private void register(TenantRedis t, String stream) {
        catalog.register(t, NameRegistry.STREAMS, stream);
    }

    private List<String> xaddAll(TenantRedis t, String stream, List<Map<String, String>> all) {
        registry.register(t, stream);
        register(t, stream);
        String key = StreamKeys.stream(t, stream);
        XAddParams params = addParams(stream);
        List<String> ids = t.executeReplicated(key, p -> queueAll(p, key, params, all), j -> {
            Supplier<List<String>> replies;
            try (AbstractPipeline p = j.pipelined()) {
                replies = queueAll(p, key, params, all);
                p.sync();
            }
            return replies.get();
        }, WriteKind.NEW);
        trimmer.trimByAgeIfDue(t, stream, key);
        return ids;
    }

    /** XADDs of {@code all} queued on {@code p}; what reads their entry ids once it is synced. */
    private static Supplier<List<String>> queueAll(PipeliningBase p, String key, XAddParams params,
            List<Map<String, String>> all) {
        List<Response<StreamEntryID>> rs = new ArrayList<>(all.size());
        for (Map<String, String> f : all) {
            rs.add(p.xadd(key, params, f));
        }
        return () -> {
            List<String> out = new ArrayList<>(rs.size());
            for (Response<StreamEntryID> r : rs) {
                out.add(r.get().toString());
            }
            return out;
        };
    }

    private StreamEntryID xadd(TenantRedis t, String stream, Map<String, String> fields) {
        registry.register(t, stream);
        register(t, stream);
        String key = StreamKeys.stream(t, stream);
        XAddParams params = addParams(stream);
        StreamEntryID id = t.executeReplicated(key, p -> p.xadd(key, params, fields)::get,
                j -> j.xadd(key, params, fields), WriteKind.NEW);
        trimmer.trimByAgeIfDue(t, stream, key);
        return id;
    }

    private XAddParams addParams(String stream) {
        XAddParams p = XAddParams.xAddParams();
        long maxLen = settings.retention(stream).maxLen();
        if (maxLen > 0) {
            p.maxLen(maxLen).approximateTrimming();
        }
        return p;
    }

    /**
     * Writes the buffered events to Redis in order of acceptance within each stream (one write-back at a time; a
     * stream whose Cluster master is down keeps its events, the others' go on); returns how many.
     */
    private int writeBack() {
        return buffer.flush(p -> {
            try {
                if (p.maybeWritten() || redis.config().durabilityReplicas() > 0) {
                    // with durability, an earlier write-back of this event may have reached the master unconfirmed
                    xaddOnce(p);
                } else {
                    xadd(p.tenant(), p.stream(), p.fields());
                }
            } catch (RedisDataException e) {
                LOG.log(Level.SEVERE, "Redis rejected a buffered event of " + p.tenant().tenant() + "/" + p.stream()
                        + "; it is dropped: " + e.getMessage(), e);
            }
            return true;
        }, p -> p.tenant().tenant() + "/" + p.stream());
    }

    private void xaddOnce(Pending p) {
        registry.register(p.tenant(), p.stream());
        register(p.tenant(), p.stream());
        String key = StreamKeys.stream(p.tenant(), p.stream());
        List<String> args = new ArrayList<>(3 + p.fields().size() * 2);
        args.add(Math.max(0, p.attemptedAt() - REPLAY_SKEW_MS) + "-0");
        args.add(p.fields().get(EventCodec.PUBLISH_ID));
        args.add(Long.toString(settings.retention(p.stream()).maxLen()));
        p.fields().forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        p.tenant().evalReplicated(PUBLISH_ONCE, List.of(key), args, WriteKind.MAYBE_DONE);
        trimmer.trimByAgeIfDue(p.tenant(), p.stream(), key);
    }

    /** Whether a buffered event is of {@code t}'s {@code stream}. */
    private static java.util.function.Predicate<Pending> ofStream(TenantRedis t, String stream) {
        return p -> p.stream().equals(stream) && p.tenant().tenant().equals(t.tenant());
    }

    /**
     * Read-your-writes after an outage: events of this stream still in the buffer are written first; if some cannot
     * be yet, the read fails as unavailable (HTTP 503 with Retry-After) instead of answering without them.
     */
    void writeBackBeforeReading(TenantRedis t, String stream) {
        if (buffer.isEmpty()) {
            return;
        }
        if (!redis.useFallback()) {
            writeBack();
        }
        if (buffer.anyMatch(ofStream(t, stream))) {
            throw new RedisUnavailableException("events of stream " + Names.quote(stream) + " accepted while Redis was "
                    + "unavailable are still being written to it; retry in a moment", null, false);
        }
    }
}
