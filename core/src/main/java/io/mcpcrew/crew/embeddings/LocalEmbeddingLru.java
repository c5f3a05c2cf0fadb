package io.mcpcrew.crew.embeddings;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedding cache's fallback while Redis is unavailable: an in-memory LRU of vectors bounded by an estimate
 * of the bytes it holds ({@code redis.crew.embeddings.fallback.max-bytes}), keyed by the Redis key the vector would
 * have. Least recently used entries are evicted first; an entry larger than the whole budget is not kept. Shared by
 * every tenant and model of the node. Stores copies and hands out copies.
 */
public final class LocalEmbeddingLru {
    /** Estimated bytes per entry beyond the vector: map entry, array and string headers. */
    static final int ENTRY_OVERHEAD = 96;

    private final long maxBytes;
    private final LinkedHashMap<String, float[]> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    public LocalEmbeddingLru(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public synchronized float[] get(String key) {
        float[] v = entries.get(key);
        return v == null ? null : v.clone();
    }

    public synchronized void put(String key, float[] vector) {
        long cost = cost(key, vector);
        remove(key);
        if (cost > maxBytes) {
            return;
        }
        entries.put(key, vector.clone());
        bytes += cost;
        Iterator<Map.Entry<String, float[]>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<String, float[]> e = eldest.next();
            bytes -= cost(e.getKey(), e.getValue());
            eldest.remove();
        }
    }

    public synchronized boolean remove(String key) {
        float[] old = entries.remove(key);
        if (old != null) {
            bytes -= cost(key, old);
        }
        return old != null;
    }

    /** Removes every entry whose key starts with {@code prefix}; returns how many. */
    public synchronized int removeByPrefix(String prefix) {
        int n = 0;
        for (Iterator<Map.Entry<String, float[]>> it = entries.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, float[]> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                bytes -= cost(e.getKey(), e.getValue());
                it.remove();
                n++;
            }
        }
        return n;
    }

    public synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** The estimated bytes held (never above {@link #maxBytes()}). */
    public synchronized long bytes() {
        return bytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    static long cost(String key, float[] vector) {
        return (long) vector.length * Float.BYTES + 2L * key.length() + ENTRY_OVERHEAD;
    }
}
