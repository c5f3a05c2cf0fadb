package io.mcpcrew.crew.embeddings;

/**
 * A model of a tenant's embedding cache ({@link TenantEmbeddings#models}).
 *
 * @param model     the model name as stored with
 * @param dimension the model's dimension, or null when its dimension key is absent: no vector stored since the
 *                  model was cleared, or every vector expired
 */
public record CachedModel(String model, Integer dimension) {
}
