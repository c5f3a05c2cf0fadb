package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.redis.InvalidInputException;
import io.mcpcrew.crew.redis.Names;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.redis.TenantRedis;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * One tenant's and model's view of {@link RedisEmbeddingCache}.
 *
 * <p>Dimension: the first store of a model on a node runs {@code SET <dim-key> <n> NX GET EX <ttl>} (the one extra
 * round trip in the model's life on the node): it establishes the dimension or returns the established one. Later
 * stores carry the same command in their pipeline, so a dimension key removed meanwhile (a clear on another node) is
 * re-established, and a conflicting one is detected (the batch is then removed again and refused). Reads check each
 * value's length against the dimension (fetched in the same MGET/pipeline while unknown) and refuse NaN/Infinity;
 * a refused value counts as a miss.
 */
final class RedisModelEmbeddingCache implements ModelEmbeddingCache {
    private static final Logger LOG = Logger.getLogger(RedisModelEmbeddingCache.class.getName());
    /** How often, at most, a sliding-TTL read also renews the dimension key's TTL. */
    private static final long DIMENSION_REFRESH_MAX_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final RedisEmbeddingCache owner;
    private final RedisManager redis;
    private final EmbeddingConfig config;
    private final TenantRedis tenant;
    private final String model;
    private final String modelPart;
    private final ModelState state;
    private final String dimensionKey;
    private final byte[] dimensionKeyBytes;
    /** Every key of this tenant and model starts with it. */
    private final byte[] keyPrefix;
    private final String localPrefix;

    RedisModelEmbeddingCache(RedisEmbeddingCache owner, TenantRedis tenant, String model, String modelPart,
            ModelState state) {
        this.owner = owner;
        this.redis = owner.redis();
        this.config = owner.config();
        this.tenant = tenant;
        this.model = model;
        this.modelPart = modelPart;
        this.state = state;
        this.dimensionKey = EmbeddingKeys.dimensionKey(tenant.keys(), modelPart);
        this.dimensionKeyBytes = bytes(dimensionKey);
        this.keyPrefix = EmbeddingKeys.vectorKeyPrefix(tenant.keys(), modelPart);
        this.localPrefix = new String(keyPrefix, StandardCharsets.US_ASCII);
    }

    @Override
    public String tenantId() {
        return tenant.tenantId();
    }

    @Override
    public String model() {
        return model;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<float[]> retrieve(String text) {
        return Optional.ofNullable((float[]) read(new byte[][] {keyOf(text)}, false)[0]);
    }

    @Override
    public List<Optional<float[]>> batchRetrieve(List<String> texts) {
        byte[][] keys = keysOf(texts);
        Object[] found = read(keys, false);
        List<Optional<float[]>> out = new ArrayList<>(keys.length);
        for (Object v : found) {
            out.add(Optional.ofNullable((float[]) v));
        }
        return out;
    }

    @Override
    public List<Optional<FloatBuffer>> batchRetrieveBuffers(List<String> texts) {
        byte[][] keys = keysOf(texts);
        Object[] found = read(keys, true);
        List<Optional<FloatBuffer>> out = new ArrayList<>(keys.length);
        for (Object v : found) {
            out.add(Optional.ofNullable((FloatBuffer) v));
        }
        return out;
    }

    /**
     * The vectors of {@code keys}, aligned (null: miss), from Redis in chunks, or from the local LRU: float[] each,
     * or with {@code views} read-only FloatBuffers over the bytes read (no copy).
     */
    private Object[] read(byte[][] keys, boolean views) {
        Object[] out = new Object[keys.length];
        int chunk = config.chunkSize();
        for (int from = 0; from < keys.length; from += chunk) {
            int to = Math.min(keys.length, from + chunk);
            int f = from;
            boolean local = redis.withFallback(() -> {
                readRedis(keys, f, to, out, views);
                return false;
            }, maybeWritten -> {
                readLocal(keys, f, keys.length, out, views);
                return true;
            });
            if (local) {
                break;
            }
        }
        return out;
    }

    private void readLocal(byte[][] keys, int from, int to, Object[] out, boolean views) {
        for (int i = from; i < to; i++) {
            float[] v = owner.local().get(str(keys[i]));
            out[i] = v == null || !views ? v : FloatBuffer.wrap(v).asReadOnlyBuffer();
            if (v == null) {
                state.misses.increment();
            } else {
                state.hits.increment();
                state.localHits.increment();
                state.bytesRead.add((long) v.length * Float.BYTES);
            }
        }
    }

    private void readRedis(byte[][] keys, int from, int to, Object[] out, boolean views) {
        int dim = state.dimension();
        boolean withDimension = dim == 0;
        List<byte[]> values = fetch(keys, from, to, withDimension);
        int offset = 0;
        if (withDimension) {
            dim = parseDimension(values.get(0));
            state.dimension(dim);
            offset = 1;
        } else if (hasLengthOtherThan(values, dim)) {
            // the dimension may have been re-established by another node since this node learnt it
            dim = parseDimension(tenant.execute(j -> j.get(dimensionKeyBytes)));
            state.dimension(dim);
        }
        long hits = 0;
        long bytes = 0;
        for (int i = from; i < to; i++) {
            byte[] raw = values.get(offset + i - from);
            Object v = raw == null ? null : decode(raw, dim, keys[i], views);
            out[i] = v;
            if (v != null) {
                hits++;
                bytes += raw.length;
            }
        }
        // counted once per batch, not per vector (the counters are shared by every thread)
        state.hits.add(hits);
        state.misses.add(to - from - hits);
        state.bytesRead.add(bytes);
    }

    /** MGET (or one pipeline of GET/GETEX) of the dimension key (if asked) and {@code keys[from..to)}. */
    private List<byte[]> fetch(byte[][] keys, int from, int to, boolean withDimension) {
        boolean slide = config.slidingTtl();
        long ttl = owner.ttlSeconds();
        boolean refreshDimension = slide && !withDimension && state.dimensionRefreshDue(System.nanoTime(),
                Math.min(DIMENSION_REFRESH_MAX_NANOS, TimeUnit.SECONDS.toNanos(ttl) / 10));
        int n = to - from + (withDimension ? 1 : 0);
        byte[][] k = new byte[n][];
        int at = 0;
        if (withDimension) {
            k[at++] = dimensionKeyBytes;
        }
        for (int i = from; i < to; i++) {
            k[at++] = keys[i];
        }
        boolean cluster = owner.cluster();
        return tenant.execute(j -> {
            if (n == 1 && !refreshDimension) {
                // not coalesced: for values of kilobytes the hand-off between threads costs more than the round trip
                return Collections.singletonList(slide ? j.getEx(k[0], GetExParams.getExParams().ex(ttl)) : j.get(k[0]));
            }
            if (!slide && !refreshDimension && !cluster) {
                return j.mget(k);
            }
            List<Response<byte[]>> replies = new ArrayList<>(n);
            try (AbstractPipeline p = j.pipelined()) {
                if (refreshDimension) {
                    p.expire(dimensionKeyBytes, ttl);
                }
                for (byte[] key : k) {
                    replies.add(slide ? p.getEx(key, GetExParams.getExParams().ex(ttl)) : p.get(key));
                }
                p.sync();
            }
            List<byte[]> values = new ArrayList<>(n);
            for (Response<byte[]> r : replies) {
                values.add(r.get());
            }
            return values;
        });
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
    private Object decode(byte[] raw, int dim, byte[] key, boolean view) {
        Object v = dim > 0 && raw.length == dim * Float.BYTES
                ? (view ? VectorCodec.viewFinite(raw) : VectorCodec.decodeFinite(raw)) : null;
        if (v == null) {
            state.rejected.increment();
            LOG.log(Level.FINE, "embedding cache: refused the value of {0} ({1} bytes; model dimension {2})",
                    new Object[] {str(key), raw.length, dim == 0 ? "not established" : dim});
        }
        return v;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void store(String text, float[] vector) {
        Map<String, float[]> one = new HashMap<>(2);
        one.put(text, vector);
        batchStore(one);
    }

    @Override
    public void batchStore(Map<String, float[]> vectors) {
        if (vectors == null) {
            throw new InvalidInputException("missing vectors (null)");
        }
        if (vectors.isEmpty()) {
            return;
        }
        int n = vectors.size();
        byte[][] keys = new byte[n][];
        float[][] values = new float[n][];
        int dim = 0;
        String firstText = null;
        int i = 0;
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            keys[i] = keyOf(e.getKey());
            VectorCodec.requireValid(e.getKey(), e.getValue(), config.maxDimension());
            if (dim == 0) {
                dim = e.getValue().length;
                firstText = e.getKey();
            } else if (e.getValue().length != dim) {
                throw new InvalidInputException("vectors of one batch must share a dimension: text "
                        + Names.quote(firstText) + " has " + dim + ", text " + Names.quote(e.getKey()) + " has "
                        + e.getValue().length);
            }
            values[i++] = e.getValue();
        }
        int known = state.dimension();
        if (known != 0 && known != dim) {
            throw dimensionMismatch(dim, known);
        }
        int d = dim;
        redis.withFallback(() -> {
            if (known == 0) {
                establishDimension(d);
            }
            int chunk = config.chunkSize();
            for (int from = 0; from < n; from += chunk) {
                writeRedis(keys, values, from, Math.min(n, from + chunk), d);
            }
            return null;
        }, maybeWritten -> {
            storeLocal(keys, values, d); // a cache: vectors stored while Redis is down stay on this node
            return null;
        });
    }

    private void storeLocal(byte[][] keys, float[][] values, int dim) {
        if (state.dimension() == 0) {
            state.dimension(dim);
        }
        for (int i = 0; i < keys.length; i++) {
            owner.local().put(str(keys[i]), values[i]);
            state.stores.increment();
            state.localStores.increment();
            state.bytesWritten.add((long) values[i].length * Float.BYTES);
        }
    }

    /** {@code SET <dim-key> <dim> NX GET EX <ttl>}: establishes the dimension or learns the established one. */
    private void establishDimension(int dim) {
        long ttl = owner.ttlSeconds();
        byte[] previous = tenant.execute(j -> j.setGet(dimensionKeyBytes, ascii(dim), SetParams.setParams().nx().ex(ttl)));
        int established = previous == null ? dim : parseDimension(previous);
        if (established == 0) {
            LOG.warning(() -> "embedding cache: " + dimensionKey + " held no valid dimension; setting it to " + dim);
            tenant.execute(j -> j.set(dimensionKeyBytes, ascii(dim), SetParams.setParams().ex(ttl)));
            established = dim;
        }
        state.dimension(established);
        if (established != dim) {
            throw dimensionMismatch(dim, established);
        }
    }

    /** One pipeline: (re-)establish the dimension, renew its TTL, SET EX every vector of {@code [from, to)}. */
    private void writeRedis(byte[][] keys, float[][] values, int from, int to, int dim) {
        long ttl = owner.ttlSeconds();
        byte[][] k = new byte[to - from][];
        byte[][] v = new byte[to - from][];
        long bytes = 0;
        for (int i = from; i < to; i++) {
            k[i - from] = keys[i];
            v[i - from] = VectorCodec.encode(values[i]);
            bytes += v[i - from].length;
        }
        byte[] previous = tenant.execute(j -> {
            Response<byte[]> dimReply;
            try (AbstractPipeline p = j.pipelined()) {
                dimReply = p.setGet(dimensionKeyBytes, ascii(dim), SetParams.setParams().nx().ex(ttl));
                p.expire(dimensionKeyBytes, ttl);
                for (int i = 0; i < k.length; i++) {
                    p.set(k[i], v[i], SetParams.setParams().ex(ttl));
                }
                p.sync();
            }
            return dimReply.get();
        });
        int established = previous == null ? dim : parseDimension(previous);
        if (established != dim && established != 0) {
            // another node re-established the model with another dimension since this node learnt it: undo
            state.dimension(established);
            tenant.execute(j -> {
                try (AbstractPipeline p = j.pipelined()) {
                    for (byte[] key : k) {
                        p.unlink(key);
                    }
                    p.sync();
                }
                return null;
            });
            throw dimensionMismatch(dim, established);
        }
        state.stores.add(k.length);
        state.bytesWritten.add(bytes);
    }

    private InvalidInputException dimensionMismatch(int dim, int established) {
        return new InvalidInputException("vector dimension " + dim + " does not match the established dimension "
                + established + " of model " + Names.quote(model) + " (tenant " + tenant.tenantId()
                + "): every vector of a model has the same dimension; clear the model's cache to change it");
    }

    // ---------------------------------------------------------------- getOrCompute

    @Override
    public List<float[]> getOrCompute(List<String> texts, Embedder embedder) {
        byte[][] keyBytes = keysOf(texts);
        String[] keys = new String[keyBytes.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = str(keyBytes[i]);
        }
        if (embedder == null) {
            throw new InvalidInputException("missing embedder (null)");
        }
        ConcurrentHashMap<String, CompletableFuture<float[]>> inFlight = owner.inFlight();
        Map<String, String> textOfKey = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            textOfKey.putIfAbsent(keys[i], texts.get(i));
        }
        // claim every text no other thread of this node is reading or computing; wait for the others afterwards
        Map<String, CompletableFuture<float[]>> owned = new LinkedHashMap<>();
        Map<String, CompletableFuture<float[]>> awaited = new LinkedHashMap<>();
        for (String key : textOfKey.keySet()) {
            CompletableFuture<float[]> mine = new CompletableFuture<>();
            CompletableFuture<float[]> other = inFlight.putIfAbsent(key, mine);
            if (other == null) {
                owned.put(key, mine);
            } else {
                awaited.put(key, other);
            }
        }
        Map<String, float[]> result = new HashMap<>();
        try {
            if (!owned.isEmpty()) {
                computeOwned(owned, textOfKey, embedder, result);
            }
        } catch (RuntimeException | Error e) {
            owned.values().forEach(f -> f.completeExceptionally(e));
            throw e;
        } finally {
            // stored (or failed) before released: a later claimant of the same text finds it in the cache
            owned.forEach(inFlight::remove);
        }
        for (Map.Entry<String, CompletableFuture<float[]>> e : awaited.entrySet()) {
            result.put(e.getKey(), join(e.getValue()).clone());
            state.hits.increment();
        }
        List<float[]> out = new ArrayList<>(keys.length);
        Map<String, Boolean> handedOut = new HashMap<>();
        for (String key : keys) {
            float[] v = result.get(key);
            out.add(handedOut.put(key, Boolean.TRUE) == null ? v : v.clone());
        }
        return out;
    }

    private void computeOwned(Map<String, CompletableFuture<float[]>> owned, Map<String, String> textOfKey,
            Embedder embedder, Map<String, float[]> result) {
        String[] ownedKeys = owned.keySet().toArray(new String[0]);
        byte[][] ownedKeyBytes = new byte[ownedKeys.length][];
        for (int i = 0; i < ownedKeys.length; i++) {
            ownedKeyBytes[i] = ownedKeys[i].getBytes(StandardCharsets.US_ASCII);
        }
        Object[] found = read(ownedKeyBytes, false);
        List<String> missingKeys = new ArrayList<>();
        List<String> missingTexts = new ArrayList<>();
        for (int i = 0; i < ownedKeys.length; i++) {
            float[] v = (float[]) found[i];
            if (v != null) {
                result.put(ownedKeys[i], v);
                owned.get(ownedKeys[i]).complete(v.clone());
            } else {
                missingKeys.add(ownedKeys[i]);
                missingTexts.add(textOfKey.get(ownedKeys[i]));
            }
        }
        if (missingTexts.isEmpty()) {
            return;
        }
        List<float[]> computed = embedder.embed(Collections.unmodifiableList(missingTexts));
        if (computed == null || computed.size() != missingTexts.size()) {
            throw new IllegalStateException("the embedder returned " + (computed == null ? "null" : computed.size()
                    + " vectors") + " for " + missingTexts.size() + " texts of model " + Names.quote(model));
        }
        Map<String, float[]> toStore = new LinkedHashMap<>();
        for (int i = 0; i < missingTexts.size(); i++) {
            toStore.put(missingTexts.get(i), computed.get(i));
        }
        batchStore(toStore);
        state.computed.add(missingTexts.size());
        for (int i = 0; i < missingKeys.size(); i++) {
            float[] v = computed.get(i).clone();
            result.put(missingKeys.get(i), v);
            owned.get(missingKeys.get(i)).complete(v.clone());
        }
    }

    private static float[] join(CompletableFuture<float[]> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- removal, stats

    @Override
    public boolean invalidate(String text) {
        byte[] key = keyOf(text);
        boolean removedLocally = owner.local().remove(str(key));
        return onRedisOrFallback(() -> tenant.execute(j -> j.unlink(key)) > 0, () -> {
            owner.pendingRemoval(tenant.tenantId(), str(key), null);
            return removedLocally;
        });
    }

    @Override
    public long clear() {
        long removedLocally = owner.local().removeByPrefix(localPrefix);
        state.forgetDimension();
        String pattern = EmbeddingKeys.scanPattern(tenant.keys(), modelPart);
        long removed = onRedisOrFallback(() -> RedisEmbeddingCache.unlinkMatching(tenant, pattern), () -> {
            owner.pendingRemoval(tenant.tenantId(), null, pattern);
            return removedLocally;
        });
        state.forgetDimension();
        return removed;
    }

    @Override
    public EmbeddingStats stats() {
        return state.snapshot(dimension());
    }

    @Override
    public OptionalInt dimension() {
        int known = state.dimension();
        if (known > 0) {
            return OptionalInt.of(known);
        }
        int d = onRedisOrFallback(() -> parseDimension(tenant.execute(j -> j.get(dimensionKeyBytes))), () -> 0);
        if (d > 0) {
            state.dimension(d);
        }
        return d > 0 ? OptionalInt.of(d) : OptionalInt.empty();
    }

    // ---------------------------------------------------------------- helpers

    private <T> T onRedisOrFallback(Supplier<T> onRedis, Supplier<T> onFallback) {
        return redis.withFallback(onRedis, maybeWritten -> onFallback.get());
    }

    private byte[][] keysOf(List<String> texts) {
        if (texts == null) {
            throw new InvalidInputException("missing texts (null)");
        }
        byte[][] keys = new byte[texts.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keyOf(texts.get(i));
        }
        return keys;
    }

    private byte[] keyOf(String text) {
        if (text == null) {
            throw new InvalidInputException("missing text (null)");
        }
        if (text.length() > config.maxTextLength()) {
            throw new InvalidInputException("text " + Names.quote(text) + " is " + text.length() + " characters long: "
                    + "at most " + config.maxTextLength() + " (redis.crew.embeddings.max-text-length)");
        }
        return EmbeddingKeys.vectorKey(keyPrefix, text);
    }

    /** The dimension in a dimension key's value (ASCII decimal), or 0 if absent or not a valid dimension. */
    static int parseDimension(byte[] value) {
        if (value == null || value.length == 0 || value.length > 9) {
            return 0;
        }
        int d = 0;
        for (byte b : value) {
            if (b < '0' || b > '9') {
                return 0;
            }
            d = d * 10 + (b - '0');
        }
        return d;
    }

    private static byte[] ascii(int n) {
        return Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** A key (ASCII by construction) as the string the local LRU and the single-flight table use. */
    private static String str(byte[] key) {
        return new String(key, StandardCharsets.US_ASCII);
    }
}
