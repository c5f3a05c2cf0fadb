package io.mcpcrew.crew.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.TestManagers;
import io.mcpcrew.crew.tenancy.TenantKeys;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract on a standalone redis-server, plus what only a live server shows: the wire format, a TTL on every
 * key, sliding TTL, one command per batch, two nodes sharing a model, and the fallback while the server is stopped.
 */
@ExtendWith(RedisServerExtension.class)
class StandaloneEmbeddingCacheIT extends EmbeddingCacheContract {
    private RedisServer server;
    private TestManagers managers;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        this.managers = new TestManagers(server);
        server.ensureRunningAndEmpty();
    }

    @AfterEach
    void tearDown() {
        managers.close(); // their pools and probe threads, and a server a test left stopped is started again
    }

    private RedisEmbeddingCache cache(Map<String, String> extra) {
        return cacheOn(manager(extra));
    }

    private JedisRedisManager manager(Map<String, String> extra) {
        Map<String, String> cfg = new HashMap<>(Map.of("redis.crew.embeddings.chunk-size", "1000"));
        cfg.putAll(extra);
        return managers.open(cfg);
    }

    @Override
    RedisEmbeddingCache cache() {
        return cache(Map.of());
    }

    @Test
    void valuesAreLittleEndianFloat32UnderTheDocumentedKeys() {
        JedisRedisManager m = manager(Map.of());
        cacheOn(m).forTenant("t1").model("text-embedding-3-small")
                .store("hello", new float[] {1.0f, -2.5f});
        String key = "crew:t1:embeddings:text-embedding-3-small:"
                + "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        // 1.0f = 0x3f800000, -2.5f = 0xc0200000, each little-endian
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0x20, (byte) 0xc0},
                m.execute(j -> j.get(key.getBytes(StandardCharsets.UTF_8))));
        assertEquals("2", server.command("GET", "crew:t1:embeddings:text-embedding-3-small:dim"));
        String hashedModelDimKey = "crew:t1:embeddings:_"
                + EmbeddingKeys.sha256Hex("BAAI/bge-small-en-v1.5".getBytes(StandardCharsets.UTF_8)) + ":dim";
        cache().forTenant("t1").model("BAAI/bge-small-en-v1.5").store("x", new float[] {1f, 2f, 3f});
        assertEquals("3", server.command("GET", hashedModelDimKey));
    }

    @Test
    void everyKeyHasTheEmbeddingTtl() {
        RedisEmbeddingCache cache = cache(Map.of("redis.crew.ttl.embedding", "1h"));
        cache.forTenant("t1").model("m").batchStore(Map.of("a", vector(3, 1), "b", vector(3, 2)));
        cache.forTenant("t1").model("m").store("c", vector(3, 3));
        cache.forTenant("t2").model("nomic-embed-text:v1.5").store("a", vector(2, 1));
        cache.forTenant("t1").model("m").getOrCompute(List.of("d", "a"), t -> List.of(vector(3, 4)));
        List<String> keys = server.scanKeys("crew:*:embeddings:*"); // the registries of the listing (catalog) apart
        assertEquals(7, keys.size(), keys.toString()); // 4 + dim, 1 + dim
        for (String k : keys) {
            long ttl = server.ttl(k);
            assertTrue(ttl > 3000 && ttl <= 3600, k + " ttl " + ttl);
        }
    }

    @Test
    void slidingTtlRenewsOnReadInTheSameRoundTrip() {
        ModelEmbeddingCache c = cache(Map.of("redis.crew.ttl.embedding", "1h", "redis.crew.embeddings.sliding-ttl",
                "true")).forTenant("t1").model("m");
        c.batchStore(Map.of("a", vector(3, 1), "b", vector(3, 2)));
        String a = EmbeddingKeys.vectorKey(TenantKeys.of("crew", "t1"), "m", "a");
        String b = EmbeddingKeys.vectorKey(TenantKeys.of("crew", "t1"), "m", "b");
        server.command("EXPIRE", a, "100");
        server.command("EXPIRE", b, "100");
        assertTrue(c.retrieve("a").isPresent());
        assertTrue(server.ttl(a) > 3000, "single read renewed: " + server.ttl(a));
        assertTrue(server.ttl(b) <= 100);
        server.command("EXPIRE", a, "100");
        assertEquals(2, c.batchRetrieve(List.of("a", "b")).stream().filter(o -> o.isPresent()).count());
        assertTrue(server.ttl(a) > 3000 && server.ttl(b) > 3000, "batch read renewed both");
        // without sliding TTL a read leaves the TTL alone
        ModelEmbeddingCache fixed = cache(Map.of("redis.crew.ttl.embedding", "1h")).forTenant("t1").model("m");
        server.command("EXPIRE", a, "100");
        assertTrue(fixed.retrieve("a").isPresent());
        assertTrue(server.ttl(a) <= 100);
    }

    @Test
    void aBatchIsOneCommandAndLargerBatchesAreChunked() {
        ModelEmbeddingCache c = cache(Map.of("redis.crew.embeddings.chunk-size", "10")).forTenant("t1").model("m");
        Map<String, float[]> batch = new LinkedHashMap<>();
        for (int i = 0; i < 25; i++) {
            batch.put("t" + i, vector(8, i));
        }
        c.batchStore(batch); // first store of the model on this node: establishes the dimension, then 3 chunks
        List<String> texts = new ArrayList<>(batch.keySet());
        c.retrieve("t1"); // learns nothing new: the dimension is known from the store
        server.command("CONFIG", "RESETSTAT");
        assertEquals(25, c.batchRetrieve(texts).stream().filter(o -> o.isPresent()).count());
        assertEquals(3, calls("mget"), "25 texts in chunks of 10: three MGETs");
        assertEquals(0, calls("get"));
        ModelEmbeddingCache big = cache(Map.of("redis.crew.embeddings.chunk-size", "1000")).forTenant("t1").model("m");
        big.retrieve("t0"); // learns the dimension with this first read (MGET of dim + key)
        server.command("CONFIG", "RESETSTAT");
        assertEquals(25, big.batchRetrieve(texts).stream().filter(o -> o.isPresent()).count());
        assertEquals(1, calls("mget"), "one MGET for the whole batch");
        server.command("CONFIG", "RESETSTAT");
        big.batchStore(batch);
        assertEquals(25, calls("set") - 1, "one pipeline: 25 SET EX and the dimension's SET NX GET");
        assertEquals(1, calls("expire"));
    }

    private long calls(String command) {
        return commandCalls(server, command);
    }

    @Test
    void twoNodesAgreeOnTheDimensionEvenAfterAClear() {
        RedisEmbeddingCache nodeA = cache();
        RedisEmbeddingCache nodeB = cache();
        nodeA.forTenant("t1").model("m").store("a", vector(3, 1));
        nodeB.forTenant("t1").model("m").store("b", vector(3, 2)); // B learns dimension 3
        assertThrows(InvalidInputException.class, () -> nodeB.forTenant("t1").model("m").store("c", vector(4, 1)));
        assertEquals(2, nodeA.forTenant("t1").model("m").clear());
        nodeA.forTenant("t1").model("m").store("a", vector(4, 1)); // the model starts over with dimension 4
        // B still believes 3: its write is detected in the same pipeline, undone and refused
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> nodeB.forTenant("t1").model("m").store("b", vector(3, 2)));
        assertTrue(e.getMessage().contains("established dimension 4"), e.getMessage());
        assertFalse(nodeA.forTenant("t1").model("m").retrieve("b").isPresent());
        // and B reads A's new vectors (the length mismatch makes it re-read the dimension)
        assertBitEqual(vector(4, 1), nodeB.forTenant("t1").model("m").retrieve("a").orElseThrow());
        nodeB.forTenant("t1").model("m").store("b", vector(4, 2));
    }

    @Test
    void foreignValuesOfTheWrongLengthOrNonFiniteAreMisses() {
        RedisEmbeddingCache cache = cache();
        ModelEmbeddingCache c = cache.forTenant("t1").model("m");
        c.store("a", vector(2, 1));
        String bad = EmbeddingKeys.vectorKey(TenantKeys.of("crew", "t1"), "m", "bad");
        server.command("SET", bad, "abc", "EX", "60"); // 3 bytes: not 2 float32
        assertFalse(c.retrieve("bad").isPresent());
        assertEquals(1, c.stats().rejected());
        assertTrue(c.retrieve("a").isPresent());
        String nan = EmbeddingKeys.vectorKey(TenantKeys.of("crew", "t1"), "m", "nan");
        jedisSetBytes(nan, VectorCodec.encode(new float[] {1f, Float.NaN})); // right length, not finite
        assertFalse(c.retrieve("nan").isPresent());
        assertFalse(c.batchRetrieveBuffers(List.of("nan")).get(0).isPresent(), "views are checked alike");
        assertEquals(3, c.stats().rejected());
    }

    private void jedisSetBytes(String key, byte[] value) {
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis(server.host(), server.port())) {
            j.set(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value);
        }
    }

    @Test
    void whileRedisIsStoppedALocalLruServesAndStoresThenRedisTakesOver() {
        RedisEmbeddingCache cache = cache();
        ModelEmbeddingCache c = cache.forTenant("t1").model("m");
        c.batchStore(Map.of("in redis", vector(4, 1), "invalidated meanwhile", vector(4, 2)));
        server.stop();
        try {
            assertFalse(c.retrieve("in redis").isPresent(), "the local LRU starts empty");
            c.store("local", vector(4, 3));
            assertBitEqual(vector(4, 3), c.retrieve("local").orElseThrow());
            assertThrows(InvalidInputException.class, () -> c.store("x", vector(5, 3)), "dimension kept locally");
            List<float[]> computed = c.getOrCompute(List.of("local", "new"), t -> List.of(vector(4, 9)));
            assertBitEqual(vector(4, 9), computed.get(1));
            c.invalidate("invalidated meanwhile");
            EmbeddingStats s = c.stats();
            assertEquals(2, s.localHits(), s.toString());
            assertEquals(2, s.localStores(), s.toString());
            assertTrue(cache.fallbackLru().size() == 2 && cache.pendingRemovals() == 1);
        } finally {
            server.start();
        }
        await(() -> cache.pendingRemovals() == 0 && cache.fallbackLru().size() == 0,
                "recovery applies the invalidation and empties the local LRU");
        assertFalse(c.retrieve("invalidated meanwhile").isPresent());
        // the restarted server is empty; the cache works on it again (and re-establishes the dimension)
        assertFalse(c.retrieve("local").isPresent());
        c.store("again", vector(6, 1));
        assertBitEqual(vector(6, 1), c.retrieve("again").orElseThrow());
        assertEquals("6", server.command("GET", "crew:t1:embeddings:m:dim"));
    }

    @Test
    void withTheFallbackDisabledAnOutageIsAnError() {
        ModelEmbeddingCache c = cache(Map.of("redis.crew.fallback.enabled", "false")).forTenant("t1").model("m");
        server.stop();
        try {
            assertThrows(io.mcpcrew.crew.redis.RedisUnavailableException.class, () -> c.retrieve("a"));
            assertThrows(io.mcpcrew.crew.redis.RedisUnavailableException.class, () -> c.store("a", vector(2, 1)));
        } finally {
            server.start();
        }
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
