package io.mcpcrew.crew.embeddings;

/**
 * One tenant's embedding caches ({@link EmbeddingCache#forTenant}): one {@link ModelEmbeddingCache} per model.
 * Cheap to create and to ask: views share the state the node keeps per tenant and model.
 */
public interface TenantEmbeddings {

    String tenant();

    /**
     * The cache of this tenant's vectors for {@code model}. Throws {@code InvalidInputException} for a model name
     * outside {@link EmbeddingKeys#MODEL_RULE}.
     */
    ModelEmbeddingCache model(String model);
}
