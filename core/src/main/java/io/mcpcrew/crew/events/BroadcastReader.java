package io.mcpcrew.crew.events;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The one reader thread of a (tenant, stream) on this node that serves every broadcast subscriber of it: it reads
 * with {@code XREAD BLOCK} from the lowest position any subscriber has reached and hands each subscriber the
 * entries after its own position. So N local subscribers (SSE clients, CDI bridge) cost one thread and one pooled
 * connection, not N. It ends when its last subscriber closes.
 */
final class BroadcastReader implements Runnable {
    private static final Logger LOG = Logger.getLogger(BroadcastReader.class.getName());

    private final SubscriptionContainer owner;
    private final TenantRedis redis;
    private final String stream;
    private final String key;
    final List<Sub> subscribers = new CopyOnWriteArrayList<>();
    volatile Thread thread;

    BroadcastReader(SubscriptionContainer owner, TenantRedis redis, String stream) {
        this.owner = owner;
        this.redis = redis;
        this.stream = stream;
        this.key = StreamKeys.stream(redis, stream);
    }

    @Override
    public void run() {
        int failures = 0;
        while (owner.keepReading(this)) {
            try {
                StreamEntryID cursor = null;
                for (Sub s : subscribers) {
                    if (s.position == null) {
                        s.position = SubscriptionContainer.currentEnd(redis, key);
                    }
                    if (cursor == null || s.position.compareTo(cursor) < 0) {
                        cursor = s.position;
                    }
                }
                if (cursor == null) {
                    continue;
                }
                XReadParams params = XReadParams.xReadParams().count(owner.settings().batchSize())
                        .block((int) owner.settings().block().toMillis());
                Map<String, StreamEntryID> from = Map.of(key, cursor);
                List<Map.Entry<String, List<StreamEntry>>> read = redis.execute(j -> j.xread(params, from));
                failures = 0;
                if (read == null) {
                    continue;
                }
                for (Map.Entry<String, List<StreamEntry>> e : read) {
                    for (StreamEntry entry : e.getValue()) {
                        Event event = EventCodec.decode(entry);
                        for (Sub s : subscribers) {
                            s.offer(entry.getID(), event);
                        }
                    }
                }
            } catch (RedisCrewException e) {
                failures++;
                LOG.log(failures == 1 ? Level.INFO : Level.FINE, "reading stream {0} of tenant {1} failed ({2}); "
                        + "retrying", new Object[] {stream, redis.tenant(), e.getMessage()});
                owner.pause(Math.min(1000L, 50L << Math.min(failures, 5)));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "broadcast reader of stream " + stream + " failed; retrying", e);
                owner.pause(1000L);
            }
        }
    }

    /** One broadcast subscriber: its handler and the id of the last entry it was given. */
    final class Sub extends BaseSubscription {
        private final EventHandler handler;
        volatile StreamEntryID position;

        Sub(EventHandler handler, StreamEntryID position) {
            super(BroadcastReader.this.owner, BroadcastReader.this.redis, BroadcastReader.this.stream);
            this.handler = handler;
            this.position = position;
        }

        void offer(StreamEntryID id, Event event) {
            if (!active || (position != null && id.compareTo(position) <= 0)) {
                return;
            }
            try {
                handler.onEvent(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // an AssertionError of a handler must not end the reader
                lastError = GroupConsumer.describe(e);
                LOG.log(Level.WARNING, "a subscriber of stream " + stream + " (tenant " + redis.tenant()
                        + ") failed on event " + id + "; it receives the next events", e);
            }
            position = id;
            lastDeliveredId = event.id();
        }

        BroadcastReader reader() {
            return BroadcastReader.this;
        }

        @Override
        public String group() {
            return null;
        }

        @Override
        public String consumer() {
            return null;
        }

        @Override
        public void close() {
            subscribers.remove(this);
            super.close();
        }
    }
}
