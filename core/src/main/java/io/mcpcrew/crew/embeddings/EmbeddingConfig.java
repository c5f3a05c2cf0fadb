package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.config.ConfigSource;
import java.util.Map;

/**
 * The embedding cache's settings, {@code redis.crew.embeddings.*} (env {@code REDIS_CREW_EMBEDDINGS_*}). The TTL
 * itself is {@code redis.crew.ttl.embedding}. A bad value throws {@code ConfigurationException} naming the key.
 *
 * @param chunkSize          texts per Redis round trip; larger batches are split into chunks of this size
 * @param maxBatchSize       most texts or items one HTTP request may carry (more: 400)
 * @param maxTextLength      longest text, in UTF-16 characters (longer: {@code InvalidInputException})
 * @param maxDimension       largest vector dimension (larger: {@code InvalidInputException})
 * @param slidingTtl         reading a vector also renews its TTL (GETEX, in the same round trip)
 * @param fallbackMaxBytes   the local LRU's budget while Redis is down (0: nothing is kept locally)
 */
public record EmbeddingConfig(int chunkSize, int maxBatchSize, int maxTextLength, int maxDimension, boolean slidingTtl,
        int fallbackMaxBytes) {

    public static final String PREFIX = "redis.crew.embeddings.";

    /** Reads and validates the settings; absent keys take the defaults listed in microprofile-config.properties. */
    public static EmbeddingConfig load(ConfigSource c) {
        return new EmbeddingConfig(
                c.integer(PREFIX + "chunk-size", 1000, 1, 100_000),
                c.integer(PREFIX + "max-batch-size", 1000, 1, 100_000),
                c.integer(PREFIX + "max-text-length", 32_768, 1, 10_000_000),
                c.integer(PREFIX + "max-dimension", 8192, 1, 1 << 20),
                c.bool(PREFIX + "sliding-ttl", false),
                c.integer(PREFIX + "fallback.max-bytes", 64 << 20, 0, Integer.MAX_VALUE));
    }

    public static EmbeddingConfig load(Map<String, String> values) {
        return load(ConfigSource.of(values));
    }

    public static EmbeddingConfig defaults() {
        return load(Map.of());
    }
}
