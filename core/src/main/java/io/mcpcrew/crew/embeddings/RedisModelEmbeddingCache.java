package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.redis.KeyspaceScan;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * One tenant's and model's view of {@link RedisEmbeddingCache}: checks the input ({@link ModelInput}) and routes each
 * operation to Redis or, while Redis is unavailable, to the local side of the fallback ({@link LocalVectors}). Reads
 * go through {@link VectorReader} in the caller's form ({@link VectorDecoder}), writes through {@link VectorWriter},
 * both under the dimension rule ({@link ModelDimension}); {@code getOrCompute} through {@link SingleFlight}.
 * Invalidations and clears made while Redis is unavailable are kept and written back on recovery.
 */
final class RedisModelEmbeddingCache implements ModelEmbeddingCache {
    private final RedisManager redis;
    private final RedisEmbeddingCache owner;
    private final TenantRedis tenantRedis;
    private final String model;
    private final String modelPart;
    private final ModelState state;
    private final ModelInput input;
    private final ModelDimension dimension;
    private final LocalVectors local;
    private final VectorReader reader;
    private final VectorWriter writer;
    private final SingleFlight singleFlight;

    RedisModelEmbeddingCache(RedisEmbeddingCache owner, TenantRedis tenantRedis, String model, String modelPart,
            ModelState state) {
        this.redis = owner.redis();
        this.owner = owner;
        this.tenantRedis = tenantRedis;
        this.model = model;
        this.modelPart = modelPart;
        this.state = state;
        byte[] keyPrefix = EmbeddingKeys.vectorKeyPrefix(tenantRedis.keys(), modelPart);
        this.input = new ModelInput(owner.config(), keyPrefix);
        this.dimension = new ModelDimension(owner, tenantRedis, model, modelPart, state);
        this.local = new LocalVectors(owner, tenant(), new String(keyPrefix, StandardCharsets.US_ASCII), state);
        this.reader = new VectorReader(redis, owner.config(), dimension, new VectorFetch(owner, tenantRedis, dimension),
                local, state.counters);
        this.writer = new VectorWriter(owner, tenantRedis, dimension, local, state.counters);
        this.singleFlight = new SingleFlight(owner.inFlight(), reader, this::batchStore, state.counters, model);
    }

    @Override
    public String tenant() {
        return tenantRedis.keys().tenant();
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public Optional<float[]> retrieve(String text) {
        return Optional.ofNullable(reader.read(new byte[][] {input.key(text)}, VectorDecoder.ARRAYS)[0]);
    }

    @Override
    public List<Optional<float[]>> batchRetrieve(List<String> texts) {
        return optionals(reader.read(input.keys(texts), VectorDecoder.ARRAYS));
    }

    @Override
    public List<Optional<FloatBuffer>> batchRetrieveBuffers(List<String> texts) {
        return optionals(reader.read(input.keys(texts), VectorDecoder.VIEWS));
    }

    private static <T> List<Optional<T>> optionals(T[] found) {
        List<Optional<T>> out = new ArrayList<>(found.length);
        for (T v : found) {
            out.add(Optional.ofNullable(v));
        }
        return out;
    }

    @Override
    public void store(String text, float[] vector) {
        Map<String, float[]> one = new HashMap<>(2);
        one.put(text, vector);
        batchStore(one);
    }

    @Override
    public void batchStore(Map<String, float[]> vectors) {
        VectorBatch batch = input.batch(vectors);
        if (batch.size() > 0) {
            writer.store(batch);
        }
    }

    @Override
    public List<float[]> getOrCompute(List<String> texts, Embedder embedder) {
        byte[][] keys = input.keys(texts);
        if (embedder == null) {
            throw new InvalidInputException("missing embedder (null)");
        }
        return singleFlight.getOrCompute(texts, keys, embedder);
    }

    @Override
    public boolean invalidate(String text) {
        byte[] key = input.key(text);
        String localKey = ModelInput.str(key);
        boolean removedLocally = local.remove(localKey);
        return onRedisOrFallback(() -> tenantRedis.execute(j -> j.unlink(key)) > 0, () -> {
            local.removeFromRedisLater(localKey);
            return removedLocally;
        });
    }

    @Override
    public long clear() {
        long removedLocally = local.removeAll();
        dimension.forget();
        String pattern = EmbeddingKeys.scanPattern(tenantRedis.keys(), modelPart);
        long removed = onRedisOrFallback(() -> RedisEmbeddingCache.unlinkMatching(tenantRedis, pattern), () -> {
            local.removeMatchingFromRedisLater(pattern);
            return removedLocally;
        });
        dimension.forget();
        return removed;
    }

    @Override
    public EntryCount countEntries(KeyspaceScan.Budget budget) {
        return owner.catalog().count(tenantRedis, model, modelPart, budget);
    }

    @Override
    public EmbeddingStats stats() {
        return state.counters.snapshot(dimension());
    }

    @Override
    public OptionalInt dimension() {
        int known = dimension.known();
        if (known > 0) {
            return OptionalInt.of(known);
        }
        int d = onRedisOrFallback(dimension::fetch, () -> 0);
        return d > 0 ? OptionalInt.of(d) : OptionalInt.empty();
    }

    private <T> T onRedisOrFallback(Supplier<T> onRedis, Supplier<T> onFallback) {
        return redis.withFallback(onRedis, maybeWritten -> onFallback.get());
    }
}
