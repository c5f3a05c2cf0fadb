package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.redis.KeyspaceScan;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The cached vectors of one tenant and one model (from {@link TenantEmbeddings#model}). A text is identified by
 * the SHA-256 of its UTF-8 bytes; the same text under another model or tenant is a different entry.
 *
 * <p>The first vector stored for a model establishes its dimension; a vector of another dimension is refused
 * with {@code InvalidInputException} until {@link #clear()}. NaN and infinite components are refused. Texts must be
 * valid UTF-16 (no unpaired surrogates) and at most {@code redis.crew.embeddings.max-text-length} characters.
 *
 * <p>Every batch operation is one Redis round trip per {@code redis.crew.embeddings.chunk-size} texts. While Redis
 * is unavailable, reads and writes go to a bounded local LRU (see {@link EmbeddingStats#localHits()}).
 * Returned arrays belong to the caller.
 */
public interface ModelEmbeddingCache {

    String tenant();

    String model();

    /** Stores (or replaces) the vector of {@code text}, with the EMBEDDING TTL. */
    void store(String text, float[] vector);

    /** The vector of {@code text}, or empty on a miss. */
    Optional<float[]> retrieve(String text);

    /** Stores every entry in one round trip (per chunk); all vectors must have the model's dimension. */
    void batchStore(Map<String, float[]> vectors);

    /** One result per input text, in input order (duplicates allowed); misses are empty. */
    List<Optional<float[]>> batchRetrieve(List<String> texts);

    /**
     * {@link #batchRetrieve} without copying: each hit is a read-only, little-endian {@link FloatBuffer} over the
     * bytes read from Redis ({@code get(i)} is component i, {@code remaining()} the dimension), checked like a
     * {@code float[]} (dimension, no NaN or infinity). For callers that only read the vectors (similarity, hand-off
     * to a vector library): it saves allocating and copying the arrays, about a third of a batch read's client time.
     */
    List<Optional<FloatBuffer>> batchRetrieveBuffers(List<String> texts);

    /**
     * One vector per input text, in input order: cached vectors are read in one batch, the misses are computed by
     * one call to {@code embedder} (deduplicated, in input order), stored, and returned with the hits. A text
     * another thread of this node is already reading or computing is not computed again: this call waits for it.
     */
    List<float[]> getOrCompute(List<String> texts, Embedder embedder);

    /** Removes the vector of {@code text}; true if there was one. */
    boolean invalidate(String text);

    /** Removes every vector of this tenant and model (and the established dimension); returns how many vectors. */
    long clear();

    /** This node's counters for the tenant and model, with the established dimension if known. */
    EmbeddingStats stats();

    /** The model's established dimension, if a vector was stored (read from Redis when not yet known locally). */
    OptionalInt dimension();

    /**
     * How many vectors this tenant's model holds in Redis: a SCAN of every master within {@code budget} (the keys
     * have no hash tag), exact when the scan covers the whole keyspace, else extrapolated from the share it covered.
     * Costs one {@code DBSIZE} per master plus the SCAN calls; the result says what it cost.
     */
    EntryCount countEntries(KeyspaceScan.Budget budget);
}
