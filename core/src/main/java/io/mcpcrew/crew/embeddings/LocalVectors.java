package io.mcpcrew.crew.embeddings;

/**
 * One tenant's model on the local side of the fallback: its slice of the node's {@link LocalEmbeddingLru} (keyed by
 * the Redis key a vector would have), and the removals kept for Redis while it is unavailable, written back on
 * recovery by {@link RedisEmbeddingCache}.
 */
final class LocalVectors {
    private final RedisEmbeddingCache owner;
    private final String tenant;
    private final ModelState state;
    /** Every key of this tenant and model starts with it. */
    private final String keyPrefix;

    LocalVectors(RedisEmbeddingCache owner, String tenant, String keyPrefix, ModelState state) {
        this.owner = owner;
        this.tenant = tenant;
        this.keyPrefix = keyPrefix;
        this.state = state;
    }

    /** Fills {@code out[from..keys.length)} from the local LRU (null: miss). */
    <T> void read(byte[][] keys, int from, T[] out, VectorDecoder<T> decoder) {
        for (int i = from; i < keys.length; i++) {
            float[] v = owner.local().get(ModelInput.str(keys[i]));
            out[i] = v == null ? null : decoder.fromLocal(v);
            if (v == null) {
                state.counters.localMiss();
            } else {
                state.counters.localHit(v.length);
            }
        }
    }

    /** Keeps the batch on this node (a cache: it is not written back); the batch's dimension becomes the model's if none is known. */
    void store(VectorBatch batch) {
        if (state.dimension() == 0) {
            state.dimension(batch.dimension());
        }
        for (int i = 0; i < batch.size(); i++) {
            owner.local().put(ModelInput.str(batch.keys()[i]), batch.vectors()[i]);
            state.counters.storedLocally(batch.vectors()[i].length);
        }
    }

    /** Removes the local copy of one vector key; true if there was one. */
    boolean remove(String key) {
        return owner.local().remove(key);
    }

    /** Removes every local vector of the tenant and model; returns how many. */
    long removeAll() {
        return owner.local().removeByPrefix(keyPrefix);
    }

    /** Keeps the removal of {@code key} for Redis (throws {@code FallbackBufferFullException} when full). */
    void removeFromRedisLater(String key) {
        owner.pendingRemoval(tenant, key, null);
    }

    /** Keeps the removal of every key matching {@code scanPattern} for Redis. */
    void removeMatchingFromRedisLater(String scanPattern) {
        owner.pendingRemoval(tenant, null, scanPattern);
    }
}
