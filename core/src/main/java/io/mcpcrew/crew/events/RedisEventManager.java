package io.mcpcrew.crew.events;

import io.mcpcrew.crew.health.WorkerHealth;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.FallbackBuffer;
import io.mcpcrew.crew.journal.Record;
import io.mcpcrew.crew.journal.RecordCodec;
import io.mcpcrew.crew.redis.InvalidInputException;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.Names;
import io.mcpcrew.crew.redis.RedisDataException;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.redis.TenantRedis;
import io.mcpcrew.crew.redis.WriteBack;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * {@link EventManager} on Redis Streams. A CDI bean ({@code @ApplicationScoped}: its reader threads come from the
 * server's {@code java:comp/DefaultManagedThreadFactory} and stop at {@code @PreDestroy}); outside a container
 * build it with {@link #RedisEventManager(RedisManager, ThreadFactory)} and {@link #close()} it.
 *
 * <p>Threads and connections: one thread per (tenant, stream) with broadcast subscribers on this node, shared by
 * all of them, and one thread per group subscription. Each holds a pooled Redis connection while it waits in
 * {@code XREAD}/{@code XREADGROUP BLOCK} (at most {@code redis.crew.events.block}), so size
 * {@code redis.crew.pool.max-total} at least (readers + group consumers + concurrent request threads).
 *
 * <p>As a {@link WorkerHealth} it is part of the liveness check: DOWN if a reader thread died.
 *
 * <p>Dedicated threads, not a managed executor: subscriptions are loops that live as long as the application, and
 * a managed executor's few pool threads would be taken by them; the Concurrency specification names
 * {@code ManagedThreadFactory} for such long-running work.
 */
@ApplicationScoped
public class RedisEventManager implements EventManager, WorkerHealth, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisEventManager.class.getName());
    static final String COMPONENT = "events";
    static final String MANAGED_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
    private static final LuaScript DEAD_LETTER = LuaScript.fromResource(RedisEventManager.class, "dead_letter.lua");
    private static final LuaScript PUBLISH_ONCE = LuaScript.fromResource(RedisEventManager.class, "publish_once.lua");
    private static final int MAX_REPLAY = 10_000;

    private final RedisManager redis;
    private final EventSettings settings;
    private final ThreadFactory threads;
    private final BeanManager beans;
    private final FallbackBuffer<Pending> buffer;
    private final Map<String, BroadcastReader> readers = new HashMap<>();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> nextAgeTrim = new ConcurrentHashMap<>();
    private final AtomicInteger consumerSeq = new AtomicInteger();
    private volatile boolean closed;

    /** For the CDI proxy only. */
    protected RedisEventManager() {
        this.redis = null;
        this.settings = null;
        this.threads = null;
        this.beans = null;
        this.buffer = null;
    }

    /** The CDI constructor: managed threads, CDI bridge through {@code beans}. */
    @Inject
    public RedisEventManager(RedisManager redis, BeanManager beans) {
        this(redis, managedThreadFactory(), beans);
    }

    /** Outside a container, readers on daemon threads of its own; no CDI bridge. */
    public RedisEventManager(RedisManager redis) {
        this(redis, (ThreadFactory) null, null);
    }

    /** Outside a container: {@code threads} runs the readers (null: daemon threads of its own); no CDI bridge. */
    public RedisEventManager(RedisManager redis, ThreadFactory threads) {
        this(redis, threads, (BeanManager) null);
    }

    private RedisEventManager(RedisManager redis, ThreadFactory threads, BeanManager beans) {
        this.redis = redis;
        this.settings = EventSettings.load(redis.config().source());
        this.threads = threads != null ? threads : daemonThreads();
        this.beans = beans;
        this.buffer = new FallbackBuffer<>("events", settings.bufferCapacity(), redis.journal("events"),
                new PendingCodec());
        redis.registerScript(DEAD_LETTER);
        redis.registerScript(PUBLISH_ONCE);
        redis.addWriteBack(WriteBack.of("events", buffer::size, this::writeBack));
    }

    /** Starts the CDI bridges listed in {@code redis.crew.events.cdi.streams} when the application starts. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        for (EventSettings.CdiBridgeSpec s : settings.cdiStreams()) {
            bridgeToCdi(s.tenant, s.stream, s.group);
            LOG.info(() -> "events of " + s + " are fired as CDI events");
        }
    }

    @Override
    public TenantEvents forTenant(String tenantId) {
        return new Tenant(redis.forTenant(tenantId));
    }

    @Override
    public Subscription bridgeToCdi(String tenantId, String stream, String group) {
        if (beans == null) {
            throw new IllegalStateException("no CDI container: this RedisEventManager was built without a BeanManager");
        }
        // the caller's module BeanManager (java:comp/BeanManager) sees the application's observers; the one injected
        // here belongs to this library's bean archive, which a server may not let see beans of the WAR or EJB jar
        BeanManager target = moduleBeanManager().orElse(beans);
        EventHandler fire = e -> target.getEvent().select(Event.class, new FromStream.Literal(stream),
                new OfType.Literal(e.type().name())).fire(e);
        TenantEvents t = forTenant(tenantId);
        return group == null ? t.subscribe(stream, fire) : t.subscribe(stream, group, fire);
    }

    @Override
    public int bufferedEvents() {
        return buffer.size();
    }

    @Override
    public EventSettings settings() {
        return settings;
    }

    boolean isClosed() {
        return closed;
    }

    static String streamKey(TenantRedis t, String stream) {
        return t.keys().tagged(COMPONENT, stream);
    }

    static String deadKey(TenantRedis t, String stream) {
        return t.keys().tagged(COMPONENT, stream, "dead");
    }

    // ---- publishing -------------------------------------------------------------------------------------------

    /**
     * An event accepted while Redis was down: its fields (with its publish id), and whether the failed attempt may
     * have been applied (then the replay checks the stream for the publish id first), and when it was made.
     */
    private static final class Pending {
        final TenantRedis tenant;
        final String stream;
        final Map<String, String> fields;
        final boolean maybeWritten;
        final long attemptedAt;

        Pending(TenantRedis tenant, String stream, Map<String, String> fields, boolean maybeWritten, long attemptedAt) {
            this.tenant = tenant;
            this.stream = stream;
            this.fields = fields;
            this.maybeWritten = maybeWritten;
            this.attemptedAt = attemptedAt;
        }
    }

    /** A pending event as a journal record. */
    private final class PendingCodec implements RecordCodec<Pending> {
        @Override
        public byte[] encode(Pending p) {
            return Record.write(1).str(p.tenant.tenantId()).str(p.stream).lng(p.maybeWritten ? 1 : 0).lng(p.attemptedAt)
                    .map(p.fields).bytes();
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

    private static Map<String, String> fields(TenantRedis t, Event e) {
        if (e == null) {
            throw new InvalidInputException("event must not be null");
        }
        if (e.tenant() != null && !e.tenant().equals(t.tenantId())) {
            throw new InvalidInputException("event of tenant " + Names.quote(e.tenant()) + " cannot be published by "
                    + "tenant " + Names.quote(t.tenantId()) + ": an event belongs to the tenant that publishes it");
        }
        return EventCodec.encode(e, t.tenantId());
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
        if (!buffer.isEmpty() && !redis.useFallback()) {
            writeBack(); // events accepted earlier go first: the order of acceptance is kept
        }
        long attemptedAt = System.currentTimeMillis();
        return redis.withFallback(() -> {
            buffer.requireEmpty();
            return all.size() == 1 ? List.of(xadd(t, stream, all.get(0)).toString()) : xaddAll(t, stream, all);
        }, maybeWritten -> {
            // a pipeline cut mid-way may have written some of them: each replay checks its publish id
            List<Pending> p = new ArrayList<>(all.size());
            for (Map<String, String> f : all) {
                p.add(new Pending(t, stream, f, maybeWritten, attemptedAt));
            }
            buffer.addAll(p);
            return Collections.nCopies(p.size(), TenantEvents.BUFFERED);
        });
    }

    private List<String> xaddAll(TenantRedis t, String stream, List<Map<String, String>> all) {
        String key = streamKey(t, stream);
        XAddParams params = addParams(stream);
        List<String> ids = t.execute(j -> {
            List<Response<StreamEntryID>> rs = new ArrayList<>(all.size());
            try (AbstractPipeline p = j.pipelined()) {
                for (Map<String, String> f : all) {
                    rs.add(p.xadd(key, params, f));
                }
                p.sync();
            }
            List<String> out = new ArrayList<>(rs.size());
            for (Response<StreamEntryID> r : rs) {
                out.add(r.get().toString());
            }
            return out;
        });
        trimByAgeIfDue(t, stream, key);
        return ids;
    }

    /** Writes the buffered events to Redis in order (one write-back at a time); returns how many. */
    private int writeBack() {
        return buffer.flush(p -> {
            try {
                if (p.maybeWritten) {
                    xaddOnce(p);
                } else {
                    xadd(p.tenant, p.stream, p.fields);
                }
            } catch (RedisDataException e) {
                LOG.log(Level.SEVERE, "Redis rejected a buffered event of " + p.tenant.tenantId() + "/" + p.stream
                        + "; it is dropped: " + e.getMessage(), e);
            }
            return true;
        });
    }

    /** How far before a failed attempt's own clock a replay looks for its publish id (clock skew with Redis). */
    static final long REPLAY_SKEW_MS = 10_000;

    private void xaddOnce(Pending p) {
        String key = streamKey(p.tenant, p.stream);
        List<String> args = new ArrayList<>(3 + p.fields.size() * 2);
        args.add(Math.max(0, p.attemptedAt - REPLAY_SKEW_MS) + "-0");
        args.add(p.fields.get(EventCodec.PUBLISH_ID));
        args.add(Long.toString(settings.retention(p.stream).maxLen()));
        p.fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        p.tenant.eval(PUBLISH_ONCE, List.of(key), args);
        trimByAgeIfDue(p.tenant, p.stream, key);
    }

    private XAddParams addParams(String stream) {
        XAddParams p = XAddParams.xAddParams();
        long maxLen = settings.retention(stream).maxLen();
        if (maxLen > 0) {
            p.maxLen(maxLen).approximateTrimming();
        }
        return p;
    }

    private StreamEntryID xadd(TenantRedis t, String stream, Map<String, String> fields) {
        String key = streamKey(t, stream);
        XAddParams params = addParams(stream);
        StreamEntryID id = t.execute(j -> j.xadd(key, params, fields));
        trimByAgeIfDue(t, stream, key);
        return id;
    }

    /** XTRIM MINID (exact) of entries older than max-age, at most once a second per stream and node. */
    private void trimByAgeIfDue(TenantRedis t, String stream, String key) {
        long maxAge = settings.retention(stream).maxAge().toMillis();
        if (maxAge <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        Long next = nextAgeTrim.get(key);
        if (next != null && now < next) {
            return;
        }
        nextAgeTrim.put(key, now + 1000);
        String minId = (now - maxAge) + "-0";
        try {
            t.execute(j -> j.xtrim(key, XTrimParams.xTrimParams().minId(minId).exactTrimming()));
        } catch (RuntimeException e) {
            // best effort: the event is written; a failed trim must not make the caller buffer it a second time
            nextAgeTrim.remove(key);
            LOG.log(Level.FINE, "trimming " + key + " by age failed; retried on the next publish", e);
        }
    }

    long trim(TenantRedis t, String stream) {
        Names.require("stream name", stream);
        String key = streamKey(t, stream);
        EventSettings.Retention r = settings.retention(stream);
        long removed = 0;
        if (r.maxLen() > 0) {
            removed += t.execute(j -> j.xtrim(key, XTrimParams.xTrimParams().maxLen(r.maxLen()).approximateTrimming()));
        }
        if (!r.maxAge().isZero()) {
            String minId = (System.currentTimeMillis() - r.maxAge().toMillis()) + "-0";
            removed += t.execute(j -> j.xtrim(key, XTrimParams.xTrimParams().minId(minId).exactTrimming()));
        }
        return removed;
    }

    // ---- subscribing ------------------------------------------------------------------------------------------

    Subscription subscribeBroadcast(TenantRedis t, String stream, String afterId, EventHandler handler) {
        Names.require("stream name", stream);
        requireHandler(handler);
        StreamEntryID start = afterId == null ? null : StreamIds.parse("event id", afterId);
        String key = streamKey(t, stream);
        if (start == null) {
            try {
                start = currentEnd(t, key);
            } catch (RedisUnavailableException e) {
                start = null; // resolved by the reader once Redis answers
            }
        }
        BroadcastReader.Sub sub;
        synchronized (this) {
            requireOpen();
            BroadcastReader reader = readers.get(key);
            boolean fresh = reader == null;
            if (fresh) {
                reader = new BroadcastReader(this, t, stream);
            }
            sub = reader.new Sub(handler, start);
            reader.subscribers.add(sub);
            if (fresh) {
                readers.put(key, reader);
                reader.thread = spawn(reader, "crew-events-" + t.tenantId() + "-" + stream);
            }
        }
        return track(sub);
    }

    /** The id of the newest entry, {@code 0-0} if the stream is empty or missing. */
    static StreamEntryID currentEnd(TenantRedis t, String key) {
        List<StreamEntry> last = t.execute(j -> j.xrevrange(key, "+", "-", 1));
        return last.isEmpty() ? new StreamEntryID(0, 0) : last.get(0).getID();
    }

    /** Called by a reader each turn: false (and the reader is forgotten) when closed or without subscribers. */
    synchronized boolean keepReading(BroadcastReader reader) {
        if (closed || reader.subscribers.isEmpty()) {
            readers.values().remove(reader);
            return false;
        }
        return true;
    }

    Subscription subscribeGroup(TenantRedis t, String stream, String group, EventHandler handler) {
        Names.require("stream name", stream);
        Names.require("consumer group name", group);
        requireHandler(handler);
        String consumer = settings.nodeId() + "-" + consumerSeq.incrementAndGet();
        String createAt = null;
        try {
            ensureGroup(t, stream, group, "$"); // so events published right after this call reach the group
        } catch (RedisUnavailableException e) {
            // created by the consumer when Redis answers, from now: events buffered meanwhile are not skipped
            createAt = (System.currentTimeMillis() - 1) + "-" + Long.MAX_VALUE;
        }
        GroupConsumer c = new GroupConsumer(this, t, stream, group, consumer, handler, createAt);
        synchronized (this) {
            requireOpen();
            c.thread = spawn(c, "crew-events-" + t.tenantId() + "-" + stream + "-" + group);
        }
        return track(c);
    }

    /** XGROUP CREATE ... MKSTREAM; false if the group exists already. */
    boolean ensureGroup(TenantRedis t, String stream, String group, String startId) {
        String key = streamKey(t, stream);
        StreamEntryID start = "$".equals(startId) ? StreamEntryID.XGROUP_LAST_ENTRY : StreamIds.parse("start id", startId);
        try {
            t.execute(j -> j.xgroupCreate(key, group, start, true));
            return true;
        } catch (RedisDataException e) {
            if (e.getMessage() != null && e.getMessage().contains("BUSYGROUP")) {
                return false;
            }
            throw e;
        }
    }

    void deadLetter(TenantRedis t, String stream, String group, String consumer, StreamEntryID id, String error,
            long deliveries) {
        long ttl = redis.ttl(DataType.DEAD_LETTER).toMillis();
        Object deadId = t.eval(DEAD_LETTER, List.of(streamKey(t, stream), deadKey(t, stream)), List.of(group,
                id.toString(), error, Long.toString(deliveries), consumer, Long.toString(ttl),
                Long.toString(settings.deadMaxLen()), Long.toString(System.currentTimeMillis())));
        if (deadId != null) {
            LOG.log(Level.WARNING, "event {0} of stream {1} (tenant {2}, group {3}) moved to the dead-letter stream "
                    + "after {4} deliveries: {5}", new Object[] {id, stream, t.tenantId(), group, deliveries, error});
        }
    }

    private Subscription track(Subscription s) {
        subscriptions.add(s);
        return s;
    }

    void untrack(Subscription s) {
        subscriptions.remove(s);
    }

    private static void requireHandler(EventHandler handler) {
        if (handler == null) {
            throw new InvalidInputException("event handler must not be null");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the EventManager is closed (the application is shutting down)");
        }
    }

    /** Runs {@code work} on a new thread of the factory, tracked until it ends (close() waits for it). */
    private Thread spawn(Runnable work, String name) {
        Thread[] self = new Thread[1];
        Thread t = threads.newThread(() -> {
            try {
                work.run();
            } finally {
                running.remove(self[0]);
            }
        });
        self[0] = t;
        try {
            t.setName(name);
        } catch (SecurityException ignored) {
            // a managed thread may refuse renaming: keep the container's name
        }
        running.add(t);
        t.start();
        return t;
    }

    /** Sleeps up to {@code ms}, returning early on interrupt. */
    void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /**
     * Read-your-writes after an outage: events of this stream still in the buffer are written first; if some cannot
     * be yet, the read fails as unavailable (HTTP 503 with Retry-After) instead of answering without them.
     */
    private void writeBackBeforeReading(TenantRedis t, String stream) {
        if (buffer.isEmpty()) {
            return;
        }
        if (!redis.useFallback()) {
            writeBack();
        }
        if (buffer.anyMatch(p -> p.stream.equals(stream) && p.tenant.tenantId().equals(t.tenantId()))) {
            throw new RedisUnavailableException("events of stream " + Names.quote(stream) + " accepted while Redis was "
                    + "unavailable are still being written to it; retry in a moment", null, false);
        }
    }

    List<Event> replay(TenantRedis t, String stream, String afterId, int limit) {
        Names.require("stream name", stream);
        StreamIds.limit(limit, MAX_REPLAY);
        writeBackBeforeReading(t, stream);
        String start = afterId == null || "0".equals(afterId) ? "-" : "(" + StreamIds.parse("event id", afterId);
        String key = streamKey(t, stream);
        return decodeAll(t.execute(j -> j.xrange(key, start, "+", limit)));
    }

    private static List<Event> decodeAll(List<StreamEntry> entries) {
        List<Event> out = new ArrayList<>(entries.size());
        for (StreamEntry e : entries) {
            out.add(EventCodec.decode(e));
        }
        return out;
    }

    List<Event> replaySince(TenantRedis t, String stream, Instant since, int limit) {
        if (since == null) {
            throw new InvalidInputException("since must not be null");
        }
        Names.require("stream name", stream);
        StreamIds.limit(limit, MAX_REPLAY);
        writeBackBeforeReading(t, stream);
        String start = epochMillisClamped(since) + "-0";
        String key = streamKey(t, stream);
        return decodeAll(t.execute(j -> j.xrange(key, start, "+", limit)));
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
        String key = deadKey(t, stream);
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
        writeBackBeforeReading(t, stream);
        String key = streamKey(t, stream);
        String dead = deadKey(t, stream);
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
            return Optional.of(new StreamInfo(t.tenantId(), stream, s.getLength(),
                    s.getFirstEntry() == null ? null : s.getFirstEntry().getID().toString(),
                    s.getLastEntry() == null ? null : s.getLastEntry().getID().toString(), groups, deadCount));
        });
    }

    // ---- health -----------------------------------------------------------------------------------------------

    @Override
    public String workerName() {
        return "event-readers";
    }

    /** True unless a subscription's reader thread ended while the subscription is still open. */
    @Override
    public boolean alive() {
        for (Subscription s : subscriptions) {
            Thread t = s instanceof GroupConsumer ? ((GroupConsumer) s).thread
                    : ((BroadcastReader.Sub) s).reader().thread;
            if (s.isActive() && t != null && !t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String detail() {
        long groups = subscriptions.stream().filter(s -> s.group() != null).count();
        int broadcastReaders;
        synchronized (this) {
            broadcastReaders = readers.size();
        }
        return broadcastReaders + " broadcast reader(s), " + groups + " group consumer(s), " + buffer.size()
                + " buffered event(s)";
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------

    /** Stops every subscription and waits (bounded) for the reader threads to end. Buffered events stay unsent. */
    @PreDestroy
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (Subscription s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
        long deadline = System.nanoTime() + settings.block().toNanos() + TimeUnit.SECONDS.toNanos(2);
        for (Thread t : running) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (!buffer.isEmpty()) {
            LOG.warning(() -> buffer.size() + " buffered event(s) were not written to Redis before shutdown"
                    + (buffer.journaled() > 0 ? "; they are in the fallback journal and are written when a node starts "
                    + "again on its directory" : " and are lost (no fallback journal)"));
        }
    }

    private ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "crew-events-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static Optional<BeanManager> moduleBeanManager() {
        try {
            return Optional.of(InitialContext.doLookup("java:comp/BeanManager"));
        } catch (NamingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static ThreadFactory managedThreadFactory() {
        try {
            return InitialContext.doLookup(MANAGED_THREAD_FACTORY);
        } catch (NamingException | RuntimeException e) {
            LOG.log(Level.INFO, "no {0} ({1}); event readers run on plain daemon threads",
                    new Object[] {MANAGED_THREAD_FACTORY, e.toString()});
            return null;
        }
    }

    /** The tenant-bound view. */
    private final class Tenant implements TenantEvents {
        private final TenantRedis t;

        Tenant(TenantRedis t) {
            this.t = t;
        }

        @Override
        public String tenant() {
            return t.tenantId();
        }

        @Override
        public String publish(Event event, String stream) {
            return RedisEventManager.this.publish(t, event, stream);
        }

        @Override
        public List<String> publishAll(List<Event> events, String stream) {
            return RedisEventManager.this.publishAll(t, events, stream);
        }

        @Override
        public Subscription subscribe(String stream, EventHandler handler) {
            return subscribeBroadcast(t, stream, null, handler);
        }

        @Override
        public Subscription subscribeAfter(String stream, String afterId, EventHandler handler) {
            return subscribeBroadcast(t, stream, afterId == null ? "0" : afterId, handler);
        }

        @Override
        public Subscription subscribe(String stream, String group, EventHandler handler) {
            return subscribeGroup(t, stream, group, handler);
        }

        @Override
        public boolean createGroup(String stream, String group, String startId) {
            Names.require("stream name", stream);
            Names.require("consumer group name", group);
            return ensureGroup(t, stream, group, startId == null ? "$" : startId);
        }

        @Override
        public List<Event> replay(String stream, String afterId, int limit) {
            return RedisEventManager.this.replay(t, stream, afterId, limit);
        }

        @Override
        public List<Event> replaySince(String stream, Instant since, int limit) {
            return RedisEventManager.this.replaySince(t, stream, since, limit);
        }

        @Override
        public List<DeadLetter> deadLetters(String stream, String afterId, int limit) {
            return RedisEventManager.this.deadLetters(t, stream, afterId, limit);
        }

        @Override
        public Optional<StreamInfo> info(String stream) {
            return RedisEventManager.this.info(t, stream);
        }

        @Override
        public long trim(String stream) {
            return RedisEventManager.this.trim(t, stream);
        }
    }
}
