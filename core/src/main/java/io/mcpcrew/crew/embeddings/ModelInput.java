package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The checks on what callers pass to one tenant's model, and the vector keys their texts derive. Texts: present, at
 * most {@code redis.crew.embeddings.max-text-length} characters, valid UTF-16 ({@link EmbeddingKeys#vectorKey});
 * vectors: {@link VectorCodec#requireValid}, one dimension per batch. Every refusal is an
 * {@link InvalidInputException} naming the text and the rule.
 */
final class ModelInput {
    private final EmbeddingConfig config;
    /** Every vector key of the tenant and model starts with it. */
    private final byte[] keyPrefix;

    ModelInput(EmbeddingConfig config, byte[] keyPrefix) {
        this.config = config;
        this.keyPrefix = keyPrefix;
    }

    /** The vector key of {@code text}. */
    byte[] key(String text) {
        if (text == null) {
            throw new InvalidInputException("missing text (null)");
        }
        if (text.length() > config.maxTextLength()) {
            throw new InvalidInputException("text " + Names.quote(text) + " is " + text.length() + " characters long: "
                    + "at most " + config.maxTextLength() + " (redis.crew.embeddings.max-text-length)");
        }
        return EmbeddingKeys.vectorKey(keyPrefix, text);
    }

    /** The vector keys of {@code texts}, aligned. */
    byte[][] keys(List<String> texts) {
        if (texts == null) {
            throw new InvalidInputException("missing texts (null)");
        }
        byte[][] keys = new byte[texts.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(texts.get(i));
        }
        return keys;
    }

    /** The keys and vectors of {@code vectors}, each checked, all of one dimension. */
    VectorBatch batch(Map<String, float[]> vectors) {
        if (vectors == null) {
            throw new InvalidInputException("missing vectors (null)");
        }
        int n = vectors.size();
        byte[][] keys = new byte[n][];
        float[][] values = new float[n][];
        int dim = 0;
        String firstText = null;
        int i = 0;
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            keys[i] = key(e.getKey());
            VectorCodec.requireValid(e.getKey(), e.getValue(), config.maxDimension());
            if (dim == 0) {
                dim = e.getValue().length;
                firstText = e.getKey();
            } else if (e.getValue().length != dim) {
                throw new InvalidInputException("vectors of one batch must share a dimension: text "
                        + Names.quote(firstText) + " has " + dim + ", text " + Names.quote(e.getKey()) + " has "
                        + e.getValue().length);
            }
            values[i++] = e.getValue();
        }
        return new VectorBatch(keys, values, dim);
    }

    /** A key (ASCII by construction) as the string the local LRU and the single-flight table use. */
    static String str(byte[] key) {
        return new String(key, StandardCharsets.US_ASCII);
    }
}
