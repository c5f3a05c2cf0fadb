package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.paging.Page;

/**
 * One tenant's embedding caches ({@link EmbeddingCache#forTenant}): one {@link ModelEmbeddingCache} per model.
 * Cheap to create and to ask: views share the state the node keeps per tenant and model.
 */
public interface TenantEmbeddings {
    /** The most models one page of {@link #models} holds. */
    int MAX_MODELS_PAGE = 1000;

    String tenant();

    /**
     * The cache of this tenant's vectors for {@code model}. Throws {@code InvalidInputException} for a model name
     * outside {@link EmbeddingKeys#MODEL_RULE}.
     */
    ModelEmbeddingCache model(String model);

    /**
     * The tenant's models in byte order of their names, {@code limit} (1 to {@value #MAX_MODELS_PAGE}) after
     * {@code cursor} (null: the first page), each with its dimension: from the registry written when a node first
     * stores a model's vectors (again after a clear), also after its vectors expired (then the dimension is null).
     */
    Page<CachedModel> models(String cursor, int limit);
}
