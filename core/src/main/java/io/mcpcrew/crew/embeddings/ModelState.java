package io.mcpcrew.crew.embeddings;

import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What one node knows about one tenant's model: its dimension as last seen in Redis, and the counters. */
final class ModelState {
    /** 0: not known on this node (read from or established in Redis on next use). */
    private volatile int dimension;
    private final AtomicLong dimensionRefreshedAt = new AtomicLong(Long.MIN_VALUE);

    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder localHits = new LongAdder();
    final LongAdder stores = new LongAdder();
    final LongAdder localStores = new LongAdder();
    final LongAdder computed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder bytesRead = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();

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

    EmbeddingStats snapshot(OptionalInt dim) {
        return new EmbeddingStats(hits.sum(), misses.sum(), localHits.sum(), stores.sum(), localStores.sum(),
                computed.sum(), rejected.sum(), bytesRead.sum(), bytesWritten.sum(), dim);
    }
}
