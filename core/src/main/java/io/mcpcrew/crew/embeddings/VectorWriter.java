package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.tenancy.TenantRedis;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * Stores checked batches of one tenant's model: to Redis, one pipeline per chunk of
 * {@code redis.crew.embeddings.chunk-size} vectors that also (re-)establishes the dimension and renews its TTL; or,
 * while Redis is unavailable, to the local LRU ({@link LocalVectors}). A batch whose dimension conflicts with the
 * model's is refused before anything is written, or removed again when the conflict shows in the pipeline's reply.
 */
final class VectorWriter {
    private final RedisEmbeddingCache owner;
    private final RedisManager redis;
    private final TenantRedis tenant;
    private final int chunkSize;
    private final ModelDimension dimension;
    private final LocalVectors local;
    private final ModelCounters counters;

    VectorWriter(RedisEmbeddingCache owner, TenantRedis tenant, ModelDimension dimension, LocalVectors local,
            ModelCounters counters) {
        this.owner = owner;
        this.redis = owner.redis();
        this.tenant = tenant;
        this.chunkSize = owner.config().chunkSize();
        this.dimension = dimension;
        this.local = local;
        this.counters = counters;
    }

    void store(VectorBatch batch) {
        int dim = batch.dimension();
        int known = dimension.known();
        if (known != 0 && known != dim) {
            throw dimension.mismatch(dim, known);
        }
        redis.withFallback(() -> {
            if (known == 0) {
                dimension.establish(dim);
            }
            for (int from = 0; from < batch.size(); from += chunkSize) {
                writeRedis(batch, from, Math.min(batch.size(), from + chunkSize));
            }
            return null;
        }, maybeWritten -> {
            local.store(batch); // a cache: vectors stored while Redis is down stay on this node
            return null;
        });
    }

    /** One pipeline: (re-)establish the dimension, renew its TTL, SET EX every vector of {@code [from, to)}. */
    private void writeRedis(VectorBatch batch, int from, int to) {
        long ttl = owner.ttlSeconds();
        byte[] dimKey = dimension.key();
        byte[] dim = ModelDimension.ascii(batch.dimension());
        byte[][] k = new byte[to - from][];
        byte[][] v = new byte[to - from][];
        long bytes = 0;
        for (int i = from; i < to; i++) {
            k[i - from] = batch.keys()[i];
            v[i - from] = VectorCodec.encode(batch.vectors()[i]);
            bytes += v[i - from].length;
        }
        byte[] previous = tenant.execute(j -> {
            Response<byte[]> dimReply;
            try (AbstractPipeline p = j.pipelined()) {
                dimReply = p.setGet(dimKey, dim, SetParams.setParams().nx().ex(ttl));
                p.expire(dimKey, ttl);
                for (int i = 0; i < k.length; i++) {
                    p.set(k[i], v[i], SetParams.setParams().ex(ttl));
                }
                p.sync();
            }
            return dimReply.get();
        });
        dimension.checkWritten(previous, batch.dimension(), () -> tenant.execute(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                for (byte[] key : k) {
                    p.unlink(key);
                }
                p.sync();
            }
            return null;
        }));
        counters.storedInRedis(k.length, bytes);
    }
}
