package io.mcpcrew.crew.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.InvalidNameException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The EmbeddingCache contract, run against each backend and topology by its subclasses: standalone Redis, a Redis
 * Cluster, a master found through Sentinel, and the local fallback (Redis stopped). Each test gets a fresh, empty cache from {@link #cache()}.
 */
abstract class EmbeddingCacheContract {

    private final List<JedisRedisManager> managers = new ArrayList<>();

    /** A fresh cache on an empty backend. */
    abstract RedisEmbeddingCache cache();

    /** True for the backend that serves from the local LRU (Redis stopped). */
    boolean servesLocally() {
        return false;
    }

    /** A cache on {@code manager} with the embedding settings of its configuration; the manager is closed after the test. */
    RedisEmbeddingCache cacheOn(JedisRedisManager manager) {
        managers.add(manager);
        return new RedisEmbeddingCache(manager, EmbeddingConfig.load(manager.config().source()));
    }

    @AfterEach
    void closeManagers() {
        managers.forEach(JedisRedisManager::close);
        managers.clear();
    }

    static float[] vector(int dim, int seed) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) Math.sin(seed * 31 + i) * (i + 1);
        }
        return v;
    }

    /** {@code n} vectors of {@code dim} components, in order: text {@code "text <i>"} has {@code vector(dim, i)}. */
    static Map<String, float[]> batch(int n, int dim) {
        Map<String, float[]> batch = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            batch.put("text " + i, vector(dim, i));
        }
        return batch;
    }

    /** How many times {@code server} ran {@code command} since its stats were reset ({@code INFO commandstats}). */
    static long commandCalls(RedisServer server, String command) {
        for (String line : server.command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    static void assertBitEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "dimension");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    "component " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    @Test
    void roundTripIsBitExactIncludingNegativeZeroAndSubnormals() {
        ModelEmbeddingCache c = cache().forTenant("t1").model("text-embedding-3-small");
        float[] edge = EmbeddingCodecAndKeysTest.EDGE_VALUES;
        c.store("edge cases", edge);
        assertBitEqual(edge, c.retrieve("edge cases").orElseThrow());
        float[] other = vector(edge.length, 7);
        c.batchStore(Map.of("b1", other, "b2 \ud83d\ude00 \u00e9", edge));
        List<Optional<float[]>> got = c.batchRetrieve(List.of("b2 \ud83d\ude00 \u00e9", "b1"));
        assertBitEqual(edge, got.get(0).orElseThrow());
        assertBitEqual(other, got.get(1).orElseThrow());
        assertEquals(edge.length, c.dimension().orElseThrow());
    }

    @Test
    void batchResultsAreAlignedWithDuplicatesAndMisses() {
        ModelEmbeddingCache c = cache().forTenant("t1").model("m");
        c.batchStore(Map.of("a", vector(8, 1), "c", vector(8, 3)));
        List<Optional<float[]>> got = c.batchRetrieve(List.of("a", "b", "c", "a", "zz", "c"));
        assertEquals(6, got.size());
        assertBitEqual(vector(8, 1), got.get(0).orElseThrow());
        assertFalse(got.get(1).isPresent());
        assertBitEqual(vector(8, 3), got.get(2).orElseThrow());
        assertBitEqual(vector(8, 1), got.get(3).orElseThrow());
        assertFalse(got.get(4).isPresent());
        assertBitEqual(vector(8, 3), got.get(5).orElseThrow());
        got.get(0).get()[0] = 99f;
        assertBitEqual(vector(8, 1), got.get(3).orElseThrow()); // duplicates are distinct arrays
        assertEquals(List.of(), c.batchRetrieve(List.of()));
        assertFalse(c.retrieve("b").isPresent());
        EmbeddingStats s = c.stats();
        assertEquals(4, s.hits());
        assertEquals(3, s.misses());
        assertEquals(2, s.stores());
        assertEquals(2 * 8 * 4, s.bytesWritten());
    }

    @Test
    void buffersAreAlignedBitExactReadOnlyViews() {
        ModelEmbeddingCache c = cache().forTenant("t1").model("m");
        float[] edge = EmbeddingCodecAndKeysTest.EDGE_VALUES;
        c.batchStore(Map.of("a", edge, "c", vector(edge.length, 3)));
        List<Optional<java.nio.FloatBuffer>> got = c.batchRetrieveBuffers(List.of("a", "b", "c", "a"));
        assertEquals(4, got.size());
        assertFalse(got.get(1).isPresent());
        assertBitEqual(edge, array(got.get(0).orElseThrow()));
        assertBitEqual(vector(edge.length, 3), array(got.get(2).orElseThrow()));
        assertBitEqual(edge, array(got.get(3).orElseThrow()));
        assertTrue(got.get(0).get().isReadOnly(), "a view cannot change the cache's copy");
        assertEquals(List.of(), c.batchRetrieveBuffers(List.of()));
        assertEquals(3, c.stats().hits());
        assertEquals(1, c.stats().misses());
    }

    private static float[] array(java.nio.FloatBuffer b) {
        float[] out = new float[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void batchesLargerThanAChunkKeepTheirOrder() {
        ModelEmbeddingCache c = cache().forTenant("t1").model("chunks");
        Map<String, float[]> many = batch(2500, 4);
        c.batchStore(many);
        List<String> texts = new ArrayList<>(many.keySet());
        texts.add(1234, "missing");
        List<Optional<float[]>> got = c.batchRetrieve(texts);
        for (int i = 0; i < texts.size(); i++) {
            if (i == 1234) {
                assertFalse(got.get(i).isPresent());
            } else {
                assertBitEqual(many.get(texts.get(i)), got.get(i).orElseThrow());
            }
        }
    }

    @Test
    void modelsAndTenantsAreIsolated() {
        RedisEmbeddingCache cache = cache();
        cache.forTenant("t1").model("model-a").store("same text", vector(4, 1));
        cache.forTenant("t1").model("model-b").store("same text", vector(6, 2));
        cache.forTenant("t2").model("model-a").store("same text", vector(4, 3));
        cache.forTenant("t1").model("nomic-embed-text:v1.5").store("same text", vector(5, 4));
        assertBitEqual(vector(4, 1), cache.forTenant("t1").model("model-a").retrieve("same text").orElseThrow());
        assertBitEqual(vector(6, 2), cache.forTenant("t1").model("model-b").retrieve("same text").orElseThrow());
        assertBitEqual(vector(4, 3), cache.forTenant("t2").model("model-a").retrieve("same text").orElseThrow());
        assertBitEqual(vector(5, 4), cache.forTenant("t1").model("nomic-embed-text:v1.5").retrieve("same text").orElseThrow());
        assertFalse(cache.forTenant("t3").model("model-a").retrieve("same text").isPresent());
        assertFalse(cache.forTenant("t1").model("model-c").retrieve("same text").isPresent());
        // clearing one tenant's model leaves the others
        assertEquals(1, cache.forTenant("t1").model("model-a").clear());
        assertFalse(cache.forTenant("t1").model("model-a").retrieve("same text").isPresent());
        assertTrue(cache.forTenant("t1").model("model-b").retrieve("same text").isPresent());
        assertTrue(cache.forTenant("t2").model("model-a").retrieve("same text").isPresent());
    }

    @Test
    void viewsNameTheirTenantAndModel() {
        TenantEmbeddings tenant = cache().forTenant("t1");
        assertEquals("t1", tenant.tenant());
        ModelEmbeddingCache c = tenant.model("BAAI/bge-small-en-v1.5");
        assertEquals("t1", c.tenant());
        assertEquals("BAAI/bge-small-en-v1.5", c.model());
    }

    @Test
    void aVectorOfAnotherDimensionIsRefusedUntilTheModelIsCleared() {
        ModelEmbeddingCache c = cache().forTenant("t1").model("dims");
        c.store("a", vector(3, 1));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> c.store("b", vector(4, 2)));
        assertTrue(e.getMessage().contains("dimension 4") && e.getMessage().contains("established dimension 3")
                && e.getMessage().contains("\"dims\""), e.getMessage());
        assertThrows(InvalidInputException.class, () -> c.batchStore(Map.of("x", vector(3, 1), "y", vector(2, 1))));
        assertFalse(c.retrieve("b").isPresent());
        assertFalse(c.retrieve("x").isPresent(), "a refused batch stores nothing");
        assertEquals(1, c.clear());
        c.store("b", vector(4, 2));
        assertEquals(4, c.dimension().orElseThrow());
        assertBitEqual(vector(4, 2), c.retrieve("b").orElseThrow());
    }

    @Test
    void badInputIsRefusedWithAMessageNamingTheRule() {
        RedisEmbeddingCache cache = cache();
        ModelEmbeddingCache c = cache.forTenant("t1").model("m");
        assertThrows(InvalidInputException.class, () -> c.store("nan", new float[] {1f, Float.NaN}));
        assertThrows(InvalidInputException.class, () -> c.store("inf", new float[] {Float.POSITIVE_INFINITY}));
        assertThrows(InvalidInputException.class, () -> c.store("big", new float[cache.config().maxDimension() + 1]));
        assertThrows(InvalidInputException.class, () -> c.store(null, new float[] {1f}));
        assertThrows(InvalidInputException.class, () -> c.store("x".repeat(cache.config().maxTextLength() + 1), new float[] {1f}));
        assertThrows(InvalidInputException.class, () -> c.retrieve("bad \ud800 surrogate"));
        assertThrows(InvalidInputException.class, () -> c.batchRetrieve(Arrays.asList("a", null)));
        assertThrows(InvalidNameException.class, () -> cache.forTenant("bad tenant").model("m"));
        assertThrows(InvalidInputException.class, () -> cache.forTenant("t1").model("bad*model"));
        assertFalse(c.dimension().isPresent(), "nothing was stored");
    }

    @Test
    void invalidateRemovesOneText() {
        ModelEmbeddingCache c = cache().forTenant("t1").model("m");
        c.batchStore(Map.of("a", vector(2, 1), "b", vector(2, 2)));
        assertTrue(c.invalidate("a"));
        assertFalse(c.invalidate("a"));
        assertFalse(c.retrieve("a").isPresent());
        assertTrue(c.retrieve("b").isPresent());
    }

    @Test
    void getOrComputeComputesOnlyTheMissesOnceInInputOrder() {
        ModelEmbeddingCache c = cache().forTenant("t1").model("m");
        c.store("hit", vector(4, 100));
        List<List<String>> calls = new CopyOnWriteArrayList<>();
        Embedder embedder = texts -> {
            calls.add(List.copyOf(texts));
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
                out.add(vector(4, t.hashCode()));
            }
            return out;
        };
        List<float[]> got = c.getOrCompute(List.of("x", "hit", "y", "x", "z", "hit"), embedder);
        assertEquals(List.of(List.of("x", "y", "z")), calls);
        assertEquals(6, got.size());
        assertBitEqual(vector(4, "x".hashCode()), got.get(0));
        assertBitEqual(vector(4, 100), got.get(1));
        assertBitEqual(vector(4, "y".hashCode()), got.get(2));
        assertBitEqual(vector(4, "x".hashCode()), got.get(3));
        assertBitEqual(vector(4, "z".hashCode()), got.get(4));
        assertBitEqual(vector(4, 100), got.get(5));
        // now everything is cached: the embedder is not called again
        c.getOrCompute(List.of("z", "y", "x", "hit"), embedder);
        assertEquals(1, calls.size());
        assertEquals(3, c.stats().computed());
        assertBitEqual(vector(4, "y".hashCode()), c.retrieve("y").orElseThrow());
    }

    @Test
    void getOrComputeRefusesAnEmbedderThatBreaksTheContract() {
        ModelEmbeddingCache c = cache().forTenant("t1").model("m");
        assertThrows(IllegalStateException.class, () -> c.getOrCompute(List.of("a", "b"), t -> List.of(new float[] {1f})));
        assertThrows(InvalidInputException.class,
                () -> c.getOrCompute(List.of("a"), t -> List.of(new float[] {Float.NaN})));
        RuntimeException boom = new IllegalStateException("model server down");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> c.getOrCompute(List.of("a"), t -> {
            throw boom;
        })));
        // nothing stuck in flight: the next call computes
        assertEquals(1, c.getOrCompute(List.of("a"), t -> List.of(new float[] {2f})).size());
        assertFalse(c.getOrCompute(List.of(), t -> {
            throw new AssertionError("not called for no texts");
        }).iterator().hasNext());
    }

    @Test
    void concurrentCallersForTheSameMissingTextComputeItOnce() throws Exception {
        ModelEmbeddingCache c = cache().forTenant("t1").model("m");
        int threads = 10;
        AtomicInteger computations = new AtomicInteger();
        CountDownLatch allEntered = new CountDownLatch(threads);
        Embedder slow = texts -> {
            computations.incrementAndGet();
            try {
                // keep the text in flight until every caller has entered getOrCompute
                allEntered.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(vector(16, 5));
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    allEntered.countDown();
                    return c.getOrCompute(List.of("shared text"), slow);
                }));
            }
            start.countDown();
            for (Future<List<float[]>> f : results) {
                assertBitEqual(vector(16, 5), f.get(60, TimeUnit.SECONDS).get(0));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, computations.get(), "ten concurrent callers, one computation");
        assertEquals(1, c.stats().computed());
    }

    @Test
    void statsCountPerTenantAndModel() {
        RedisEmbeddingCache cache = cache();
        ModelEmbeddingCache a = cache.forTenant("t1").model("a");
        a.store("x", vector(3, 1));
        a.retrieve("x");
        a.retrieve("y");
        EmbeddingStats s = cache.forTenant("t1").model("a").stats();
        assertEquals(1, s.hits());
        assertEquals(1, s.misses());
        assertEquals(1, s.stores());
        assertEquals(12, s.bytesRead());
        assertEquals(3, s.dimension().orElseThrow());
        assertEquals(0.5, s.hitRatio());
        assertEquals(servesLocally() ? 1 : 0, s.localHits(), s.toString());
        assertEquals(servesLocally() ? 1 : 0, s.localStores(), s.toString());
        assertEquals(servesLocally(), cache.fallbackLru().size() > 0);
        EmbeddingStats other = cache.forTenant("t2").model("a").stats();
        assertEquals(0, other.hits() + other.misses() + other.stores());
    }
}
