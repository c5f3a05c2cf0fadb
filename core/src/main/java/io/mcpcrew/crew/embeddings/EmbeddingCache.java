package io.mcpcrew.crew.embeddings;

/**
 * Cached embedding vectors, per tenant and model. Inject it ({@code @Inject EmbeddingCache embeddings}) or build a
 * {@link RedisEmbeddingCache} on a {@code RedisManager}, then bind it to a tenant and a model:
 *
 * <pre>{@code
 * ModelEmbeddingCache cache = embeddings.forTenant("acme").model("text-embedding-3-small");
 * List<float[]> vectors = cache.getOrCompute(texts, missing -> openAi.embed(missing));
 * }</pre>
 */
public interface EmbeddingCache {

    /**
     * The embedding caches of one tenant. Throws {@code InvalidNameException} for a tenant id outside
     * {@code Names.RULE}.
     */
    TenantEmbeddings forTenant(String tenant);

    /** The settings ({@code redis.crew.embeddings.*}): limits the HTTP layer applies too. */
    EmbeddingConfig config();
}
