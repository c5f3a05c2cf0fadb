package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.tenancy.TenantKeys;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Key derivation of the embedding cache (the wire format, {@code docs/wire-format/embeddings.md}):
 * <ul>
 * <li>vector: {@code <prefix>:<tenant>:embeddings:<model-part>:<sha256-hex of the UTF-8 text>}</li>
 * <li>dimension: {@code <prefix>:<tenant>:embeddings:<model-part>:dim} (ASCII decimal)</li>
 * </ul>
 * The model part is the model name itself when it matches {@link Names#RULE} (readable keys for the common names such
 * as {@code text-embedding-3-small}); any other valid model name ({@code nomic-embed-text:v1.5},
 * {@code BAAI/bge-small-en-v1.5}) becomes {@code _} followed by the SHA-256 hex of its UTF-8 bytes. A Names-valid
 * name never starts with {@code _}, so the two forms never collide, and no input shapes a key.
 */
public final class EmbeddingKeys {
    /** The component segment of every key. */
    public static final String COMPONENT = "embeddings";
    /** The last segment of the dimension key (never a 64-hex text hash). */
    public static final String DIMENSION_SUFFIX = "dim";
    public static final String MODEL_RULE = "must be 1 to 128 characters from A-Z, a-z, 0-9 and . _ : / @ + -, "
            + "starting with a letter or digit";
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}");
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private EmbeddingKeys() {
    }

    /** Returns {@code model} or throws {@link InvalidInputException} naming it and {@link #MODEL_RULE}. */
    public static String requireModel(String model) {
        if (model == null || !MODEL.matcher(model).matches()) {
            throw new InvalidInputException("invalid model name " + Names.quote(model) + ": " + MODEL_RULE);
        }
        return model;
    }

    /** The key segment of a (valid) model: the name itself, or {@code _<sha256 hex of the name>}. */
    public static String modelPart(String model) {
        requireModel(model);
        return Names.isValid(model) ? model : "_" + sha256Hex(model.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code <prefix>:<tenant>:embeddings:<model-part>:<sha256 hex of text>}. */
    public static String vectorKey(TenantKeys keys, String modelPart, String text) {
        return keys.key(COMPONENT, modelPart, textHash(text));
    }

    /**
     * The bytes every vector key of the tenant and model starts with, {@code <prefix>:<tenant>:embeddings:<model-part>:}
     * (derived from {@link TenantKeys}, so it follows its rules), for {@link #vectorKey(byte[], String)}.
     */
    public static byte[] vectorKeyPrefix(TenantKeys keys, String modelPart) {
        String dim = dimensionKey(keys, modelPart);
        return dim.substring(0, dim.length() - DIMENSION_SUFFIX.length()).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The vector key as bytes: {@code prefix} (from {@link #vectorKeyPrefix}) followed by the 64 hex digits of the
     * text's SHA-256 — the same bytes as {@link #vectorKey(TenantKeys, String, String)}, without building strings
     * (the hot path of every read).
     */
    public static byte[] vectorKey(byte[] prefix, String text) {
        byte[] d = digest(text);
        byte[] key = new byte[prefix.length + d.length * 2];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        int at = prefix.length;
        for (byte b : d) {
            key[at++] = (byte) HEX[(b >> 4) & 0xf];
            key[at++] = (byte) HEX[b & 0xf];
        }
        return key;
    }

    /** {@code <prefix>:<tenant>:embeddings:<model-part>:dim}. */
    public static String dimensionKey(TenantKeys keys, String modelPart) {
        return keys.key(COMPONENT, modelPart, DIMENSION_SUFFIX);
    }

    /** SCAN pattern matching every key (vectors and dimension) of the tenant and model, and nothing else. */
    public static String scanPattern(TenantKeys keys, String modelPart) {
        return keys.scanPattern(COMPONENT, modelPart);
    }

    /**
     * The lower-case SHA-256 hex of the text's UTF-8 bytes. Rejects a text with an unpaired surrogate (it has no
     * UTF-8 form: two different such texts would otherwise share a hash).
     */
    public static String textHash(String text) {
        return hex(digest(text));
    }

    private static byte[] digest(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInputException("text " + Names.quote(text) + " has an unpaired surrogate at index " + i
                        + ": texts must be valid Unicode");
            }
        }
        return SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] bytes) {
        return hex(SHA256.get().digest(bytes));
    }

    private static String hex(byte[] d) {
        char[] out = new char[d.length * 2];
        for (int i = 0; i < d.length; i++) {
            out[2 * i] = HEX[(d[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[d[i] & 0xf];
        }
        return new String(out);
    }
}
