package io.mcpcrew.crew.events;

import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.RedisDataException;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The running subscriptions of this node and their reader threads: one {@link BroadcastReader} per (tenant, stream)
 * shared by its broadcast subscribers, one {@link GroupConsumer} per group subscription. It creates consumer groups,
 * moves given-up entries to the dead-letter stream ({@code dead_letter.lua}), tells whether a reader thread died,
 * and at {@link #close()} stops every subscription and waits for the threads.
 */
final class SubscriptionContainer {
    private static final Logger LOG = Logger.getLogger(SubscriptionContainer.class.getName());
    private static final LuaScript DEAD_LETTER = LuaScript.fromResource(SubscriptionContainer.class, "dead_letter.lua");

    private final RedisManager redis;
    private final EventSettings settings;
    private final ThreadFactory threads;
    private final StreamRegistry registry;
    private final EventMetrics metrics;
    private final Map<String, BroadcastReader> readers = new HashMap<>();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger consumerSeq = new AtomicInteger();
    private final AtomicInteger threadSeq = new AtomicInteger();
    private volatile boolean closed;

    /** {@code threads} runs the readers and consumers, one thread each. */
    SubscriptionContainer(RedisManager redis, EventSettings settings, ThreadFactory threads, StreamRegistry registry) {
        this.redis = redis;
        this.settings = settings;
        this.threads = threads;
        this.registry = registry;
        this.metrics = EventMetrics.of(redis.metrics());
        redis.registerScript(DEAD_LETTER);
    }

    EventSettings settings() {
        return settings;
    }

    boolean isClosed() {
        return closed;
    }

    // ---- broadcast --------------------------------------------------------------------------------------------

    /** Every event after {@code afterId} (exclusive), or after the stream's current end when it is null. */
    Subscription subscribe(TenantRedis t, String stream, String afterId, EventHandler handler) {
        Names.require("stream name", stream);
        requireHandler(handler);
        StreamEntryID start = afterId == null ? null : StreamIds.parse("event id", afterId);
        String key = StreamKeys.stream(t, stream);
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
                reader.thread = spawn(reader, "crew-events-" + t.tenant() + "-" + stream);
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

    // ---- consumer groups --------------------------------------------------------------------------------------

    Subscription subscribeGroup(TenantRedis t, String stream, String group, EventHandler handler) {
        Names.require("stream name", stream);
        Names.require("consumer group name", group);
        requireHandler(handler);
        String consumer = settings.nodeId() + "-" + consumerSeq.incrementAndGet();
        String createAt = null;
        try {
            ensureGroup(t, stream, group, "$"); // so events published right after this call reach the group
            registry.register(t, stream);
        } catch (RedisUnavailableException e) {
            // created by the consumer when Redis answers, from now: events buffered meanwhile are not skipped
            createAt = (System.currentTimeMillis() - 1) + "-" + Long.MAX_VALUE;
        }
        GroupConsumer c = new GroupConsumer(this, t, stream, group, consumer, handler, createAt);
        synchronized (this) {
            requireOpen();
            c.thread = spawn(c, "crew-events-" + t.tenant() + "-" + stream + "-" + group);
        }
        return track(c);
    }

    /** Creates {@code group} at {@code startId} (null: {@code "$"}); false if it exists. */
    boolean createGroup(TenantRedis t, String stream, String group, String startId) {
        Names.require("stream name", stream);
        Names.require("consumer group name", group);
        return ensureGroup(t, stream, group, startId == null ? "$" : startId);
    }

    /** XGROUP CREATE ... MKSTREAM; false if the group exists already. */
    boolean ensureGroup(TenantRedis t, String stream, String group, String startId) {
        String key = StreamKeys.stream(t, stream);
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

    /** Moves entry {@code id} to the dead-letter stream and acknowledges it, atomically ({@code dead_letter.lua}). */
    void deadLetter(TenantRedis t, String stream, String group, String consumer, StreamEntryID id, String error,
            long deliveries) {
        long ttl = redis.ttl(DataType.DEAD_LETTER).toMillis();
        Object deadId = t.eval(DEAD_LETTER, List.of(StreamKeys.stream(t, stream), StreamKeys.dead(t, stream)),
                List.of(group, id.toString(), error, Long.toString(deliveries), consumer, Long.toString(ttl),
                        Long.toString(settings.deadMaxLen()), Long.toString(System.currentTimeMillis())));
        if (deadId != null) {
            metrics.deadLettered(t.tenant(), stream);
            LOG.log(Level.WARNING, "event {0} of stream {1} (tenant {2}, group {3}) moved to the dead-letter stream "
                    + "after {4} deliveries: {5}", new Object[] {id, stream, t.tenant(), group, deliveries, error});
        }
    }

    // ---- registry and threads ---------------------------------------------------------------------------------

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

    /**
     * Runs {@code work} on a new thread of the factory named {@code <name>-<n>}, tracked until it ends (close() waits
     * for it).
     */
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
            t.setName(name + "-" + threadSeq.incrementAndGet());
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

    /** True unless a subscription's reader thread ended while the subscription is still open. */
    boolean alive() {
        for (Subscription s : subscriptions) {
            Thread t = s instanceof GroupConsumer ? ((GroupConsumer) s).thread
                    : ((BroadcastReader.Sub) s).reader().thread;
            if (s.isActive() && t != null && !t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    synchronized int broadcastReaders() {
        return readers.size();
    }

    long groupConsumers() {
        return subscriptions.stream().filter(s -> s.group() != null).count();
    }

    /**
     * Stops every subscription and waits (bounded by the read block + 2 s) for the threads to end; false if it was
     * closed already.
     */
    boolean close() {
        synchronized (this) {
            if (closed) {
                return false;
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
        return true;
    }
}
