package io.mcpcrew.crew.embeddings;

/**
 * Cached embedding vectors, per tenant and model. Inject it ({@code @Inject EmbeddingCache embeddings}) or build a
 * {@link RedisEmbeddingCache} on a {@code RedisManager}, then bind it to a tenant and a model:
 *
 * <pre>{@code
 * ModelEmbeddingCache cache = embeddings.forModel("acme", "text-embedding-3-small");
 * List<float[]> vectors = cache.getOrCompute(texts, missing -> openAi.embed(missing));
 * }</pre>
 */
public interface EmbeddingCache {

    /**
     * The cache of one tenant's vectors for one model. Throws {@code InvalidNameException} for a tenant id outside
     * {@code Names.RULE} and {@code InvalidInputException} for a model name outside {@link EmbeddingKeys#MODEL_RULE}.
     * Cheap: views share the state of the tenant and model.
     */
    ModelEmbeddingCache forModel(String tenantId, String model);

    /** The settings ({@code redis.crew.embeddings.*}): limits the HTTP layer applies too. */
    EmbeddingConfig config();
}
