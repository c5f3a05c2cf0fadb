package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.tenancy.TenantRedis;

/** One tenant's view of {@link RedisEmbeddingCache}. */
final class RedisTenantEmbeddings implements TenantEmbeddings {
    private final RedisEmbeddingCache owner;
    private final TenantRedis redis;

    RedisTenantEmbeddings(RedisEmbeddingCache owner, TenantRedis redis) {
        this.owner = owner;
        this.redis = redis;
    }

    @Override
    public String tenant() {
        return redis.keys().tenant();
    }

    @Override
    public ModelEmbeddingCache model(String model) {
        String part = EmbeddingKeys.modelPart(model);
        return new RedisModelEmbeddingCache(owner, redis, model, part, owner.state(tenant(), part));
    }

    @Override
    public Page<CachedModel> models(String cursor, int limit) {
        return owner.catalog().models(redis, cursor, limit);
    }
}
