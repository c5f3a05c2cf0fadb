/**
 * The embedding cache: vectors keyed by tenant, model and the SHA-256 of the text, stored in Redis as
 * little-endian float32 bytes with the TTL of {@link io.mcpcrew.crew.redis.DataType#EMBEDDING}.
 *
 * <p>{@link io.mcpcrew.crew.embeddings.EmbeddingCache} (CDI bean {@link io.mcpcrew.crew.embeddings.RedisEmbeddingCache})
 * hands out a {@link io.mcpcrew.crew.embeddings.TenantEmbeddings} per tenant ({@code forTenant(tenant)}), which hands
 * out a {@link io.mcpcrew.crew.embeddings.ModelEmbeddingCache} per model ({@code model(name)}): single and batch
 * store and retrieve (one round trip per batch), {@code getOrCompute} that computes only the misses, once per node
 * for concurrent callers, invalidation, clearing and statistics. While Redis is unreachable a bounded in-memory LRU
 * ({@link io.mcpcrew.crew.embeddings.LocalEmbeddingLru}) serves and stores instead. The key layout and value format
 * are a documented contract ({@code docs/wire-format/embeddings.md}) that services in other languages read.
 */
package io.mcpcrew.crew.embeddings;
