package io.mcpcrew.crew.embeddings;

import java.util.OptionalInt;

/**
 * A snapshot of one node's counters for one tenant and model, since the node started. Counters are per node
 * (they are not kept in Redis, so reads stay one command); add them up across nodes for a cluster-wide view.
 *
 * @param hits            texts found (in Redis or, while it was down, in the local LRU)
 * @param misses          texts not found
 * @param localHits       of {@code hits}, those served by the local LRU while Redis was unavailable
 * @param stores          vectors written (to Redis or the local LRU)
 * @param localStores     of {@code stores}, those kept only in the local LRU while Redis was unavailable
 * @param computed        vectors computed by an {@link Embedder} through {@code getOrCompute}
 * @param rejected        values read from Redis and refused (wrong length for the model's dimension, NaN/infinite,
 *                        or no dimension established): counted as misses too
 * @param bytesRead       vector bytes read
 * @param bytesWritten    vector bytes written
 * @param dimension       the model's established dimension, if known
 */
public record EmbeddingStats(long hits, long misses, long localHits, long stores, long localStores, long computed,
        long rejected, long bytesRead, long bytesWritten, OptionalInt dimension) {

    /** hits / (hits + misses), 0 when nothing was read. */
    public double hitRatio() {
        long total = hits + misses;
        return total == 0 ? 0 : (double) hits / total;
    }
}
