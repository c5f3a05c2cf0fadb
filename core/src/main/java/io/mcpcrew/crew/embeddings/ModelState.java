package io.mcpcrew.crew.embeddings;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one node knows about one tenant's model, shared by every view of it: its dimension as last seen in Redis,
 * when a read last renewed the dimension key's TTL, and the counters.
 */
final class ModelState {
    /** 0: not known on this node (read from or established in Redis on next use). */
    private volatile int dimension;
    private final AtomicLong dimensionRefreshedAt = new AtomicLong(Long.MIN_VALUE);

    final ModelCounters counters;

    /** @param meters the model's meters (null with metrics off) */
    ModelState(io.mcpcrew.crew.metrics.TenantMeters.Handle<EmbeddingMetrics.ModelMeters> meters) {
        this.counters = new ModelCounters(meters);
    }

    int dimension() {
        return dimension;
    }

    void dimension(int d) {
        dimension = d;
    }

    void forgetDimension() {
        dimension = 0;
        dimensionRefreshedAt.set(Long.MIN_VALUE);
    }

    /** True (once per interval, across threads) when the dimension key's TTL should be renewed on a read. */
    boolean dimensionRefreshDue(long nowNanos, long intervalNanos) {
        long last = dimensionRefreshedAt.get();
        return (last == Long.MIN_VALUE || nowNanos - last >= intervalNanos)
                && dimensionRefreshedAt.compareAndSet(last, nowNanos);
    }
}
