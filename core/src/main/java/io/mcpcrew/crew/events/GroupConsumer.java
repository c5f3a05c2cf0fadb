package io.mcpcrew.crew.events;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.redis.RedisDataException;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * One consumer of a consumer group, on its own thread. Each turn it
 * <ol>
 * <li>every {@code claim-timeout / 2}: takes over entries idle longer than {@code claim-timeout} on any consumer
 * ({@code XAUTOCLAIM}: their consumer died or hung) and handles them;</li>
 * <li>while it has failed entries: re-claims its own entries whose backoff has passed ({@code XCLAIM}, which
 * counts the delivery) and handles them again;</li>
 * <li>reads new entries ({@code XREADGROUP ... BLOCK}), handles them and acknowledges the batch with one
 * {@code XACK}.</li>
 * </ol>
 * An entry whose handler throws stays pending; at the {@code max-deliveries}-th failed delivery (or when reclaimed
 * past it) {@code dead_letter.lua} copies it to {@code <stream>:dead} with the error and acknowledges it, atomically.
 */
final class GroupConsumer extends BaseSubscription implements Runnable {
    private static final Logger LOG = Logger.getLogger(GroupConsumer.class.getName());

    private final String group;
    private final String consumer;
    private final EventHandler handler;
    private final String key;
    private final EventSettings settings;
    private final String initialCreateAt;
    volatile Thread thread;
    private boolean retriesPending;
    private long nextReclaimNanos;
    private long nextRetryNanos;

    /**
     * {@code createAt}: null if the group exists already; else where to create it once Redis answers (the
     * subscription time as an id, so events published — or buffered — since then are delivered).
     */
    GroupConsumer(SubscriptionContainer owner, TenantRedis redis, String stream, String group, String consumer,
            EventHandler handler, String createAt) {
        super(owner, redis, stream);
        this.group = group;
        this.consumer = consumer;
        this.handler = handler;
        this.initialCreateAt = createAt;
        this.key = StreamKeys.stream(redis, stream);
        this.settings = owner.settings();
        this.nextReclaimNanos = System.nanoTime(); // first turn: take over what dead consumers left
        this.nextRetryNanos = nextReclaimNanos;
    }

    @Override
    public void run() {
        int failures = 0;
        boolean groupReady = initialCreateAt == null;
        String createAt = initialCreateAt;
        while (isActive()) {
            try {
                if (!groupReady) {
                    owner.ensureGroup(redis, stream, group, createAt);
                    groupReady = true;
                }
                long now = System.nanoTime();
                if (now - nextReclaimNanos >= 0) {
                    nextReclaimNanos = now + settings.claimTimeout().toNanos() / 2;
                    reclaimAbandoned();
                }
                if (retriesPending && now - nextRetryNanos >= 0) {
                    nextRetryNanos = now + TimeUnit.MILLISECONDS.toNanos(Math.max(1, settings.retryBackoff().toMillis() / 2));
                    retryOwnFailures();
                }
                long block = settings.block().toMillis();
                if (retriesPending) {
                    block = Math.max(1, Math.min(block, settings.retryBackoff().toMillis() / 2));
                }
                XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(settings.batchSize()).block((int) block);
                Map<String, StreamEntryID> from = Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
                List<Map.Entry<String, List<StreamEntry>>> read = redis.execute(j -> j.xreadGroup(group, consumer, params, from));
                failures = 0;
                if (read != null) {
                    for (Map.Entry<String, List<StreamEntry>> e : read) {
                        handleBatch(e.getValue(), null);
                    }
                }
            } catch (RedisDataException e) {
                if (e.getMessage() != null && e.getMessage().contains("NOGROUP")) {
                    // the stream and its group are gone (Redis restarted empty, or the key was deleted): re-create the
                    // group at the start of the new stream, so events written meanwhile are not skipped
                    groupReady = false;
                    createAt = "0";
                } else {
                    failures++;
                    LOG.log(Level.WARNING, "consumer " + consumer + " of group " + group + " on stream " + stream
                            + " (tenant " + redis.tenant() + "): Redis rejected a command; retrying", e);
                    owner.pause(Math.min(1000L, 50L << Math.min(failures, 5)));
                }
            } catch (RedisCrewException e) {
                failures++;
                LOG.log(failures == 1 ? Level.INFO : Level.FINE, "consumer {0} of group {1} on stream {2}: {3}; retrying",
                        new Object[] {consumer, group, stream, e.getMessage()});
                owner.pause(Math.min(1000L, 50L << Math.min(failures, 5)));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "consumer " + consumer + " of group " + group + " on stream " + stream + " failed", e);
                owner.pause(1000L);
            }
        }
        leaveGroupIfIdle();
    }

    /** Handles entries; {@code deliveries} null means first delivery (1) for all of them. */
    private void handleBatch(List<StreamEntry> entries, Map<StreamEntryID, Long> deliveries) {
        List<StreamEntryID> acks = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            if (!active) {
                break; // left pending: reclaimed by another consumer after claim-timeout
            }
            if (entry.getFields() == null) {
                continue; // deleted while pending (XAUTOCLAIM drops those itself)
            }
            long n = deliveries == null ? 1 : deliveries.getOrDefault(entry.getID(), 1L);
            lastDeliveredId = entry.getID().toString();
            if (n > settings.maxDeliveries()) {
                deadLetter(entry.getID(), "given up after " + (n - 1) + " deliveries without acknowledgement "
                        + "(its consumers stopped or timed out while handling it)", n - 1);
                continue;
            }
            Event event;
            try {
                event = EventCodec.decode(entry);
            } catch (RuntimeException e) {
                deadLetter(entry.getID(), "undecodable entry: " + describe(e), n);
                continue;
            }
            try {
                handler.onEvent(event);
                acks.add(entry.getID());
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // an AssertionError of a handler must not end the reader
                lastError = describe(e);
                if (n >= settings.maxDeliveries()) {
                    deadLetter(entry.getID(), describe(e), n);
                } else {
                    retriesPending = true;
                    LOG.log(Level.FINE, "handler failed on " + entry.getID() + " (delivery " + n + "); it will be retried", e);
                }
            }
        }
        if (!acks.isEmpty()) {
            StreamEntryID[] ids = acks.toArray(new StreamEntryID[0]);
            redis.execute(j -> j.xack(key, group, ids));
        }
    }

    private void deadLetter(StreamEntryID id, String error, long deliveries) {
        owner.deadLetter(redis, stream, group, consumer, id, error, deliveries);
    }

    /** XAUTOCLAIM of entries idle longer than claim-timeout, then their delivery counts with XPENDING. */
    private void reclaimAbandoned() {
        long minIdle = settings.claimTimeout().toMillis();
        StreamEntryID cursor = new StreamEntryID(0, 0);
        for (int round = 0; round < 10 && isActive(); round++) {
            StreamEntryID from = cursor;
            Map.Entry<StreamEntryID, List<StreamEntry>> r = redis.execute(j -> j.xautoclaim(key, group, consumer,
                    minIdle, from, XAutoClaimParams.xAutoClaimParams().count(settings.batchSize())));
            List<StreamEntry> claimed = r.getValue();
            if (!claimed.isEmpty()) {
                LOG.log(Level.INFO, "consumer {0} reclaimed {1} entries of stream {2} idle for more than {3} ms",
                        new Object[] {consumer, claimed.size(), stream, minIdle});
                handleBatch(claimed, deliveryCounts(claimed));
            }
            cursor = r.getKey();
            if (cursor == null || (cursor.getTime() == 0 && cursor.getSequence() == 0)) {
                return;
            }
        }
    }

    private Map<StreamEntryID, Long> deliveryCounts(List<StreamEntry> entries) {
        StreamEntryID first = entries.get(0).getID();
        StreamEntryID last = entries.get(entries.size() - 1).getID();
        List<StreamPendingEntry> pending = redis.execute(j -> j.xpending(key, group, XPendingParams.xPendingParams(
                first, last, entries.size() * 2).consumer(consumer)));
        Map<StreamEntryID, Long> counts = new HashMap<>();
        for (StreamPendingEntry p : pending) {
            counts.put(p.getID(), p.getDeliveredTimes());
        }
        return counts;
    }

    /** Re-delivers this consumer's failed entries whose backoff has passed (XCLAIM counts the delivery). */
    private void retryOwnFailures() {
        List<StreamPendingEntry> mine = redis.execute(j -> j.xpending(key, group,
                XPendingParams.xPendingParams("-", "+", settings.batchSize()).consumer(consumer)));
        if (mine.isEmpty()) {
            retriesPending = false;
            return;
        }
        for (StreamPendingEntry p : mine) {
            if (!active) {
                return;
            }
            long backoff = settings.backoffMillis(p.getDeliveredTimes());
            if (p.getIdleTime() < backoff) {
                continue;
            }
            List<StreamEntry> claimed = redis.execute(j -> j.xclaim(key, group, consumer, backoff,
                    XClaimParams.xClaimParams(), p.getID()));
            if (claimed.isEmpty()) {
                continue; // taken over by another consumer, or deleted
            }
            handleBatch(claimed, Map.of(p.getID(), p.getDeliveredTimes() + 1));
        }
    }

    /** On close: remove this consumer from the group if nothing is pending on it (its name is not reused). */
    private void leaveGroupIfIdle() {
        try {
            List<StreamPendingEntry> mine = redis.execute(j -> j.xpending(key, group,
                    XPendingParams.xPendingParams("-", "+", 1).consumer(consumer)));
            if (mine.isEmpty()) {
                redis.execute(j -> j.xgroupDelConsumer(key, group, consumer));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "consumer " + consumer + " could not leave group " + group, e);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        String s = e.getClass().getName() + (m == null ? "" : ": " + m);
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public String consumer() {
        return consumer;
    }
}
