package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.redis.RedisManager;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads one tenant's model's vectors in the form a {@link VectorDecoder} gives: from Redis in chunks of
 * {@code redis.crew.embeddings.chunk-size} ({@link VectorFetch}), or, once Redis is unavailable, the rest from the
 * local LRU ({@link LocalVectors}). A value from Redis counts as a hit only if its length fits the model's dimension
 * and every component is finite; otherwise it is refused (counted as rejected and as a miss).
 */
final class VectorReader {
    private static final Logger LOG = Logger.getLogger(VectorReader.class.getName());

    private final RedisManager redis;
    private final int chunkSize;
    private final ModelDimension dimension;
    private final VectorFetch fetch;
    private final LocalVectors local;
    private final ModelCounters counters;

    VectorReader(RedisManager redis, EmbeddingConfig config, ModelDimension dimension, VectorFetch fetch,
            LocalVectors local, ModelCounters counters) {
        this.redis = redis;
        this.chunkSize = config.chunkSize();
        this.dimension = dimension;
        this.fetch = fetch;
        this.local = local;
        this.counters = counters;
    }

    /** The vectors of {@code keys}, aligned (null: miss). */
    <T> T[] read(byte[][] keys, VectorDecoder<T> decoder) {
        T[] out = decoder.newArray(keys.length);
        for (int from = 0; from < keys.length; from += chunkSize) {
            int to = Math.min(keys.length, from + chunkSize);
            int f = from;
            boolean onLocal = redis.withFallback(() -> {
                readRedis(keys, f, to, out, decoder);
                return false;
            }, maybeWritten -> {
                local.read(keys, f, out, decoder);
                return true;
            });
            if (onLocal) {
                break;
            }
        }
        return out;
    }

    private <T> void readRedis(byte[][] keys, int from, int to, T[] out, VectorDecoder<T> decoder) {
        int dim = dimension.known();
        boolean withDimension = dim == 0;
        List<byte[]> values = fetch.fetch(keys, from, to, withDimension);
        int offset = 0;
        if (withDimension) {
            dim = ModelDimension.parse(values.get(0));
            dimension.learn(dim);
            offset = 1;
        } else if (hasLengthOtherThan(values, dim)) {
            // the dimension may have been re-established by another node since this node learnt it
            dim = dimension.reread();
        }
        long hits = 0;
        long bytes = 0;
        for (int i = from; i < to; i++) {
            byte[] raw = values.get(offset + i - from);
            T v = raw == null ? null : decode(raw, dim, keys[i], decoder);
            out[i] = v;
            if (v != null) {
                hits++;
                bytes += raw.length;
            }
        }
        counters.readFromRedis(hits, to - from - hits, bytes);
    }

    private static boolean hasLengthOtherThan(List<byte[]> values, int dim) {
        for (byte[] v : values) {
            if (v != null && v.length != dim * Float.BYTES) {
                return true;
            }
        }
        return false;
    }

    /** The vector in {@code raw}, or null (counted as rejected) if it does not fit the model's dimension or is not finite. */
    private <T> T decode(byte[] raw, int dim, byte[] key, VectorDecoder<T> decoder) {
        T v = dim > 0 && raw.length == dim * Float.BYTES ? decoder.decodeFinite(raw) : null;
        if (v == null) {
            counters.rejected();
            LOG.log(Level.FINE, "embedding cache: refused the value of {0} ({1} bytes; model dimension {2})",
                    new Object[] {ModelInput.str(key), raw.length, dim == 0 ? "not established" : dim});
        }
        return v;
    }
}
