package io.mcpcrew.crew.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The per-node limiter used while Redis is unreachable ({@link FallbackMode#LOCAL}): the same exact sliding
 * window as the Redis script, in memory, on this node's monotonic clock. Each key holds at most {@code limit}
 * timestamps in a ring; at most {@code maxKeys} keys are kept (when full, keys whose window has passed are
 * dropped first, then the oldest-used key). The caller scales the limit to this node's share.
 */
public final class LocalSlidingWindow {
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final int maxKeys;
    private final LongSupplier nanoClock;

    public LocalSlidingWindow(int maxKeys) {
        this(maxKeys, System::nanoTime);
    }

    LocalSlidingWindow(int maxKeys, LongSupplier nanoClock) {
        this.maxKeys = maxKeys;
        this.nanoClock = nanoClock;
    }

    /** Decides for {@code key}; {@code limit} is this node's share, {@code cost} may exceed it (then refused). */
    public RateLimitDecision tryAcquire(String key, int limit, Duration window, int cost) {
        long windowNanos = window.toNanos();
        Window w = windows.get(key);
        if (w == null) {
            if (windows.size() >= maxKeys) {
                evict();
            }
            w = windows.computeIfAbsent(key, k -> new Window());
        }
        synchronized (w) {
            return w.tryAcquire(nanoClock.getAsLong(), limit, windowNanos, window, cost);
        }
    }

    /** Forgets every window (called when Redis is back: Redis is the truth again). */
    public void clear() {
        windows.clear();
    }

    public int size() {
        return windows.size();
    }

    private void evict() {
        long now = nanoClock.getAsLong();
        Window oldest = null;
        String oldestKey = null;
        for (Map.Entry<String, Window> e : windows.entrySet()) {
            Window w = e.getValue();
            synchronized (w) {
                if (w.expired(now)) {
                    windows.remove(e.getKey(), w);
                    continue;
                }
                if (oldest == null || w.lastUsed - oldest.lastUsed < 0) {
                    oldest = w;
                    oldestKey = e.getKey();
                }
            }
        }
        if (windows.size() >= maxKeys && oldestKey != null) {
            windows.remove(oldestKey, oldest);
        }
    }

    /** A ring of admission timestamps, oldest at {@code head}. */
    private static final class Window {
        private long[] ring = new long[8];
        private int head;
        private int size;
        private long lastUsed;
        private long windowNanos;

        boolean expired(long now) {
            return size == 0 || now - newest() >= windowNanos;
        }

        private long at(int i) {
            return ring[(head + i) % ring.length];
        }

        private long newest() {
            return at(size - 1);
        }

        RateLimitDecision tryAcquire(long now, int limit, long windowNanos, Duration window, int cost) {
            this.windowNanos = windowNanos;
            lastUsed = now;
            while (size > 0 && now - ring[head] >= windowNanos) {
                head = (head + 1) % ring.length;
                size--;
            }
            boolean allowed = cost <= limit && size + cost <= limit;
            long retryAfter = 0;
            if (allowed) {
                ensureCapacity(size + cost);
                for (int i = 0; i < cost; i++) {
                    ring[(head + size) % ring.length] = now;
                    size++;
                }
            } else if (cost <= limit) {
                int k = size + cost - limit; // these oldest units must leave the window first
                retryAfter = at(k - 1) + windowNanos - now;
            } else {
                retryAfter = windowNanos; // can never pass on this node: say "a window from now"
            }
            long resetAfter = size == 0 ? 0 : ring[head] + windowNanos - now;
            return new RateLimitDecision(allowed, limit, window, Math.max(0, limit - size), Duration.ofNanos(resetAfter),
                    Duration.ofNanos(retryAfter), DecidedBy.LOCAL_FALLBACK, Instant.now());
        }

        private void ensureCapacity(int needed) {
            if (needed <= ring.length) {
                return;
            }
            long[] bigger = new long[Math.max(needed, ring.length * 2)];
            for (int i = 0; i < size; i++) {
                bigger[i] = at(i);
            }
            ring = bigger;
            head = 0;
        }
    }
}
