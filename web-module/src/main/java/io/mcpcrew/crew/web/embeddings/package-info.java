/**
 * HTTP API of the embedding cache: {@code /api/v1/tenants/{tenant}/embeddings/{model}} to store vectors (PUT), look
 * them up ({@code POST .../lookup}), clear a model (DELETE) and read this node's statistics ({@code GET .../stats}).
 * Model names may contain {@code /} (e.g. {@code BAAI/bge-small-en-v1.5}): the model is the rest of the path.
 */
package io.mcpcrew.crew.web.embeddings;
