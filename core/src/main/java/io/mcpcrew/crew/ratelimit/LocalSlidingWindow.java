package io.mcpcrew.crew.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The per-node limiter used while Redis is unreachable ({@link FallbackMode#LOCAL}): the same exact sliding
 * window as the Redis script, in memory, on this node's monotonic clock. Each key holds at most {@code limit}
 * timestamps in a ring; at most {@code maxKeys} keys are kept (when full, keys whose window has passed are
 * dropped first, then the oldest-used key). The caller scales the limit to this node's share.
 */
public final class LocalSlidingWindow {
    private final LocalStates<Window> windows;
    private final LongSupplier nanoClock;

    public LocalSlidingWindow(int maxKeys) {
        this(maxKeys, System::nanoTime);
    }

    LocalSlidingWindow(int maxKeys, LongSupplier nanoClock) {
        this.windows = new LocalStates<>(maxKeys, Window::new);
        this.nanoClock = nanoClock;
    }

    /** Decides for {@code key}; {@code limit} is this node's share, {@code cost} may exceed it (then refused). */
    public RateLimitDecision tryAcquire(String key, int limit, Duration window, int cost) {
        long windowNanos = window.toNanos();
        Window w = windows.get(key, nanoClock.getAsLong());
        synchronized (w) { // the clock read under the lock: a window's timestamps never go back
            return w.tryAcquire(nanoClock.getAsLong(), limit, windowNanos, window, cost);
        }
    }

    /**
     * What {@code key}'s window counts now against {@code limit} (this node's share), read only: expired timestamps
     * are skipped, not removed.
     */
    LimitUsage usage(String key, Limit limit) {
        Window w = windows.find(key);
        if (w == null) {
            return new LimitUsage(limit, 0, limit.max(), Duration.ZERO, Duration.ZERO);
        }
        synchronized (w) {
            return w.usage(nanoClock.getAsLong(), limit);
        }
    }

    /** Forgets every window (called when Redis is back: Redis is the truth again). */
    public void clear() {
        windows.clear();
    }

    public int size() {
        return windows.size();
    }

    /** A ring of admission timestamps, oldest at {@code head}. */
    private static final class Window implements LocalStates.State {
        private long[] ring = new long[8];
        private int head;
        private int size;
        private long lastUsed;
        private long windowNanos;

        @Override
        public boolean idle(long now) {
            return size == 0 || now - newest() >= windowNanos;
        }

        @Override
        public long lastUsed() {
            return lastUsed;
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

        LimitUsage usage(long now, Limit limit) {
            long windowNanos = limit.window().toNanos();
            int first = 0;
            while (first < size && now - at(first) >= windowNanos) {
                first++;
            }
            int used = size - first;
            long resetAfter = used == 0 ? 0 : at(first) + windowNanos - now;
            // one more unit fits once the (used - max + 1) oldest counted have left the window
            long retryAfter = used < limit.max() ? 0 : at(first + used - (int) limit.max()) + windowNanos - now;
            return new LimitUsage(limit, used, Math.max(0, limit.max() - used), Duration.ofNanos(resetAfter),
                    Duration.ofNanos(retryAfter));
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
