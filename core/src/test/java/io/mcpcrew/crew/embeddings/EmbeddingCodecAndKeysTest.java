package io.mcpcrew.crew.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.tenancy.TenantKeys;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure logic of the embedding cache: the float32 codec, key derivation, model names, the local LRU, config. */
class EmbeddingCodecAndKeysTest {

    static final float[] EDGE_VALUES = {0.0f, -0.0f, 1.0f, -1.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Float.MIN_NORMAL / 3, Float.MAX_VALUE, -Float.MAX_VALUE, 0.1f, (float) Math.PI, 1e-40f, Math.nextUp(1.0f)};

    @Test
    void codecIsLittleEndianFloat32AndBitExact() {
        byte[] one = VectorCodec.encode(new float[] {1.0f});
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, one, "1.0f is 0x3f800000, little-endian");
        float[] back = VectorCodec.decodeFinite(VectorCodec.encode(EDGE_VALUES));
        assertEquals(EDGE_VALUES.length, back.length);
        for (int i = 0; i < EDGE_VALUES.length; i++) {
            assertEquals(Float.floatToRawIntBits(EDGE_VALUES[i]), Float.floatToRawIntBits(back[i]), "index " + i);
        }
    }

    @Test
    void decodeRefusesNonFiniteValues() {
        assertNull(VectorCodec.decodeFinite(VectorCodec.encode(new float[] {1f, Float.NaN})));
        assertNull(VectorCodec.decodeFinite(VectorCodec.encode(new float[] {Float.NEGATIVE_INFINITY})));
        assertNull(VectorCodec.viewFinite(VectorCodec.encode(new float[] {2f, 3f, Float.POSITIVE_INFINITY})));
        // every NaN payload, not only Float.NaN's: exponent all ones, any mantissa
        assertNull(VectorCodec.decodeFinite(VectorCodec.encode(new float[] {0f, Float.intBitsToFloat(0xffc00001)})));
        assertNotNull(VectorCodec.decodeFinite(VectorCodec.encode(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE})));
    }

    @Test
    void finiteCheckAgreesWithFloatIsFiniteForEveryExponentInEveryPosition() {
        // every exponent (the check masks them), with low, high and all mantissa bits and both signs, placed at each
        // position of vectors of 1 to 5 components (odd lengths end on a lone component), beside finite neighbours
        int[] mantissas = {0, 1, 0x400000, 0x7fffff};
        for (int exponent = 0; exponent < 256; exponent++) {
            for (int mantissa : mantissas) {
                for (int sign : new int[] {0, 0x80000000}) {
                    float f = Float.intBitsToFloat(sign | exponent << 23 | mantissa);
                    for (int length = 1; length <= 5; length++) {
                        for (int at = 0; at < length; at++) {
                            float[] v = new float[length];
                            java.util.Arrays.fill(v, -1.5f);
                            v[at] = f;
                            boolean finite = Float.isFinite(f);
                            assertEquals(finite, VectorCodec.allFinite(VectorCodec.encode(v)),
                                    "bits " + Integer.toHexString(Float.floatToRawIntBits(f)) + " at " + at + " of "
                                            + length);
                        }
                    }
                }
            }
        }
        assertEquals(true, VectorCodec.allFinite(new byte[0]), "no component: nothing is not finite");
    }

    @Test
    void viewsAreReadOnlyLittleEndianAndBitExact() {
        byte[] bytes = VectorCodec.encode(EDGE_VALUES);
        java.nio.FloatBuffer view = VectorCodec.viewFinite(bytes);
        assertEquals(EDGE_VALUES.length, view.remaining());
        assertTrue(view.isReadOnly());
        for (int i = 0; i < EDGE_VALUES.length; i++) {
            assertEquals(Float.floatToRawIntBits(EDGE_VALUES[i]), Float.floatToRawIntBits(view.get(i)), "index " + i);
        }
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> view.put(0, 1f));
    }

    @Test
    void storeValidationNamesTheTextAndTheRule() {
        InvalidInputException nan = assertThrows(InvalidInputException.class,
                () -> VectorCodec.requireValid("hello", new float[] {1f, Float.NaN}, 10));
        assertTrue(nan.getMessage().contains("\"hello\"") && nan.getMessage().contains("index 1")
                && nan.getMessage().contains("finite"), nan.getMessage());
        InvalidInputException big = assertThrows(InvalidInputException.class,
                () -> VectorCodec.requireValid("t", new float[11], 10));
        assertTrue(big.getMessage().contains("dimension 11") && big.getMessage().contains("max-dimension"), big.getMessage());
        assertThrows(InvalidInputException.class, () -> VectorCodec.requireValid("t", new float[0], 10));
        assertThrows(InvalidInputException.class, () -> VectorCodec.requireValid("t", null, 10));
    }

    @Test
    void keysFollowTheWireFormat() {
        TenantKeys keys = TenantKeys.of("crew", "t1");
        // sha256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
        assertEquals("crew:t1:embeddings:text-embedding-3-small:"
                + "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                EmbeddingKeys.vectorKey(keys, EmbeddingKeys.modelPart("text-embedding-3-small"), "hello"));
        assertEquals("crew:t1:embeddings:m:dim", EmbeddingKeys.dimensionKey(keys, "m"));
        for (String text : new String[] {"hello", "", "\u00e9 \ud83d\ude00", "x".repeat(1000)}) {
            assertEquals(EmbeddingKeys.vectorKey(keys, "m", text), new String(EmbeddingKeys.vectorKey(
                    EmbeddingKeys.vectorKeyPrefix(keys, "m"), text), java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertEquals("crew:t1:embeddings:m:*", EmbeddingKeys.scanPattern(keys, "m"));
        // UTF-8 of non-ASCII text: sha256("é") (c3 a9)
        assertEquals("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c", EmbeddingKeys.textHash("\u00e9"));
    }

    @Test
    void modelNamesOutsideTheNameRuleBecomeAHashedKeyPart() {
        assertEquals("text-embedding-3-small", EmbeddingKeys.modelPart("text-embedding-3-small"));
        String hashed = EmbeddingKeys.modelPart("nomic-embed-text:v1.5");
        assertEquals("_" + EmbeddingKeys.sha256Hex("nomic-embed-text:v1.5".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                hashed);
        assertEquals(65, hashed.length());
        assertNotEquals(EmbeddingKeys.modelPart("BAAI/bge-small-en-v1.5"), EmbeddingKeys.modelPart("BAAI/bge-base-en-v1.5"));
        for (String bad : new String[] {"", " x", "a b", "x*", "{t}", "a\nb", "_lead", "\u00e9", "x".repeat(129)}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> EmbeddingKeys.modelPart(bad), bad);
            assertTrue(e.getMessage().contains("invalid model name") && e.getMessage().contains("1 to 128"), e.getMessage());
        }
        assertThrows(InvalidInputException.class, () -> EmbeddingKeys.modelPart(null));
    }

    @Test
    void unpairedSurrogatesAreRefused() {
        assertThrows(InvalidInputException.class, () -> EmbeddingKeys.textHash("a\ud800b"));
        assertThrows(InvalidInputException.class, () -> EmbeddingKeys.textHash("\udc00"));
        assertEquals(64, EmbeddingKeys.textHash("emoji \ud83d\ude00").length());
        assertEquals(64, EmbeddingKeys.textHash("").length());
    }

    @Test
    void dimensionValuesParseStrictly() {
        assertEquals(1536, ModelDimension.parse("1536".getBytes()));
        assertEquals(0, ModelDimension.parse(null));
        assertEquals(0, ModelDimension.parse("-3".getBytes()));
        assertEquals(0, ModelDimension.parse("12x".getBytes()));
        assertEquals(0, ModelDimension.parse("1234567890".getBytes()));
    }

    @Test
    void localLruEvictsLeastRecentlyUsedByBytes() {
        long perEntry = LocalEmbeddingLru.cost("k1", new float[100]);
        LocalEmbeddingLru lru = new LocalEmbeddingLru(perEntry * 3);
        lru.put("k1", new float[100]);
        lru.put("k2", new float[100]);
        lru.put("k3", new float[100]);
        assertTrue(lru.get("k1") != null); // k1 now most recently used
        lru.put("k4", new float[100]);
        assertNull(lru.get("k2"), "k2 was least recently used");
        assertTrue(lru.get("k1") != null && lru.get("k3") != null && lru.get("k4") != null);
        assertTrue(lru.bytes() <= lru.maxBytes());
        lru.put("huge", new float[10_000]);
        assertNull(lru.get("huge"), "an entry above the whole budget is not kept");
        assertEquals(3, lru.size());
        float[] v = lru.get("k1");
        v[0] = 42f;
        assertEquals(0f, lru.get("k1")[0], "the LRU hands out copies");
        assertEquals(3, lru.removeByPrefix("k"));
        assertEquals(0, lru.size());
        assertEquals(0, lru.bytes());
        assertFalse(lru.remove("k1"));
    }

    @Test
    void configHasDefaultsAndNamesBadValues() {
        EmbeddingConfig d = EmbeddingConfig.defaults();
        assertEquals(1000, d.chunkSize());
        assertEquals(1000, d.maxBatchSize());
        assertEquals(32_768, d.maxTextLength());
        assertEquals(8192, d.maxDimension());
        assertFalse(d.slidingTtl());
        assertEquals(64 << 20, d.fallbackMaxBytes());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> EmbeddingConfig.load(Map.of("redis.crew.embeddings.chunk-size", "0")));
        assertTrue(e.getMessage().contains("REDIS_CREW_EMBEDDINGS_CHUNK_SIZE"), e.getMessage());
    }
}
