package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.metrics.TenantMeters;
import java.util.OptionalInt;
import java.util.concurrent.atomic.LongAdder;

/**
 * One node's counters for one tenant's model, behind {@link ModelEmbeddingCache#stats()}. Shared by every thread and
 * view of the model: a batch read from Redis adds its totals once, not once per vector.
 */
final class ModelCounters {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder localHits = new LongAdder();
    private final LongAdder stores = new LongAdder();
    private final LongAdder localStores = new LongAdder();
    private final LongAdder computed = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    /** The model's meters; null with metrics off. */
    private final TenantMeters.Handle<EmbeddingMetrics.ModelMeters> meters;

    ModelCounters(TenantMeters.Handle<EmbeddingMetrics.ModelMeters> meters) {
        this.meters = meters;
    }

    /** A batch (or chunk) read from Redis: {@code hits} vectors of {@code bytes} bytes in all, {@code misses} not. */
    void readFromRedis(long hits, long misses, long bytes) {
        this.hits.add(hits);
        this.misses.add(misses);
        bytesRead.add(bytes);
        if (meters != null) {
            EmbeddingMetrics.ModelMeters m = meters.get();
            m.hits.increment(hits);
            m.misses.increment(misses);
            m.bytesRead.increment(bytes);
        }
    }

    /** A vector of {@code dimension} components served by the local LRU. */
    void localHit(int dimension) {
        hits.increment();
        localHits.increment();
        bytesRead.add((long) dimension * Float.BYTES);
        if (meters != null) {
            EmbeddingMetrics.ModelMeters m = meters.get();
            m.hits.increment();
            m.bytesRead.increment((long) dimension * Float.BYTES);
        }
    }

    /** A text the local LRU does not hold. */
    void localMiss() {
        misses.increment();
        if (meters != null) {
            meters.get().misses.increment();
        }
    }

    /** A text another thread of the node was reading or computing, handed over by single flight. */
    void awaitedHit() {
        hits.increment();
        if (meters != null) {
            meters.get().hits.increment();
        }
    }

    /** A value read from Redis and refused (wrong length, not finite, or no dimension established). */
    void rejected() {
        rejected.increment();
    }

    /** {@code vectors} written to Redis, {@code bytes} in all. */
    void storedInRedis(int vectors, long bytes) {
        stores.add(vectors);
        bytesWritten.add(bytes);
        if (meters != null) {
            EmbeddingMetrics.ModelMeters m = meters.get();
            m.stored.increment(vectors);
            m.bytesWritten.increment(bytes);
        }
    }

    /** A vector of {@code dimension} components kept in the local LRU while Redis is unavailable. */
    void storedLocally(int dimension) {
        stores.increment();
        localStores.increment();
        bytesWritten.add((long) dimension * Float.BYTES);
        if (meters != null) {
            EmbeddingMetrics.ModelMeters m = meters.get();
            m.stored.increment();
            m.bytesWritten.increment((long) dimension * Float.BYTES);
        }
    }

    /** {@code vectors} computed by an {@link Embedder}. */
    void computed(int vectors) {
        computed.add(vectors);
        if (meters != null) {
            meters.get().computed.increment(vectors);
        }
    }

    EmbeddingStats snapshot(OptionalInt dimension) {
        return new EmbeddingStats(hits.sum(), misses.sum(), localHits.sum(), stores.sum(), localStores.sum(),
                computed.sum(), rejected.sum(), bytesRead.sum(), bytesWritten.sum(), dimension);
    }
}
