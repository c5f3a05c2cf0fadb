package io.mcpcrew.crew.embeddings;

import java.util.List;

/**
 * Computes embeddings for {@link ModelEmbeddingCache#getOrCompute}: called at most once per call, with only the
 * texts that were missing from the cache (in input order, without duplicates). Must return one vector per text,
 * in the same order.
 */
@FunctionalInterface
public interface Embedder {
    List<float[]> embed(List<String> texts);
}
