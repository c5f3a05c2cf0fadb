package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.embeddings.EmbeddingConfig;
import io.mcpcrew.crew.embeddings.EmbeddingKeys;
import io.mcpcrew.crew.embeddings.ModelEmbeddingCache;
import io.mcpcrew.crew.embeddings.RedisEmbeddingCache;
import io.mcpcrew.crew.embeddings.VectorCodec;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.tenancy.TenantKeys;
import io.mcpcrew.crew.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * EmbeddingCache beside raw Jedis on the same private redis-server, same bytes, same keys, same client pool:
 * single retrieve (GET), batch retrieve of 100 x 1536-d vectors (MGET, as float[] and as zero-copy FloatBuffer views;
 * and with sliding TTL, a pipeline of GETEX),
 * batch store of 100 vectors (pipelined SET EX), and the bytes one vector takes in Redis versus JSON.
 * Each figure is the median of {@code reps} runs, cache and raw runs interleaved (every other rep in reverse order),
 * with the ratio paired by rep beside it.
 *
 * <p>{@code benchmarks/run.sh embeddings [threads=4] [seconds=3] [reps=3]}
 */
public final class EmbeddingsBenchmark {
    static final int DIM = 1536;
    static final int VECTORS = 2000;
    static final int BATCH = 100;

    private EmbeddingsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        Duration run = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 3);
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Duration warmup = Duration.ofSeconds(1);
        try (RedisServer server = Bench.startRedis(); JedisRedisManager redis = Bench.manager(server, threads)) {
            RedisEmbeddingCache cache = new RedisEmbeddingCache(redis, EmbeddingConfig.defaults());
            JedisRedisManager slidingRedis = manager(server, threads, true);
            RedisEmbeddingCache slidingCache = new RedisEmbeddingCache(slidingRedis,
                    EmbeddingConfig.load(slidingRedis.config().source()));
            ModelEmbeddingCache model = cache.forTenant("bench").model("text-embedding-3-small");
            ModelEmbeddingCache slidingModel = slidingCache.forTenant("bench").model("text-embedding-3-small");
            UnifiedJedis jedis = Bench.raw(server);
            redis.ping();
            long ttl = redis.config().ttl(io.mcpcrew.crew.redis.DataType.EMBEDDING).getSeconds();

            Random random = new Random(42);
            List<String> texts = new ArrayList<>();
            Map<String, float[]> vectors = new LinkedHashMap<>();
            for (int i = 0; i < VECTORS; i++) {
                float[] v = new float[DIM];
                for (int d = 0; d < DIM; d++) {
                    v[d] = (float) random.nextGaussian() * 0.05f;
                }
                String text = "benchmark text number " + i + " about something worth embedding";
                texts.add(text);
                vectors.put(text, v);
            }
            TenantKeys keys = redis.forTenant("bench").keys();
            byte[][] rawKeys = new byte[VECTORS][];
            byte[][] rawValues = new byte[VECTORS][];
            for (int i = 0; i < VECTORS; i++) {
                rawKeys[i] = EmbeddingKeys.vectorKey(keys, EmbeddingKeys.modelPart("text-embedding-3-small"), texts.get(i))
                        .getBytes(StandardCharsets.UTF_8);
                rawValues[i] = VectorCodec.encode(vectors.get(texts.get(i)));
            }
            Map<String, float[]> all = new LinkedHashMap<>(vectors);
            model.batchStore(all);
            slidingModel.retrieve(texts.get(0));
            List<List<String>> batches = new ArrayList<>();
            List<byte[][]> rawBatches = new ArrayList<>();
            List<Map<String, float[]>> storeBatches = new ArrayList<>();
            for (int from = 0; from < VECTORS; from += BATCH) {
                List<String> b = texts.subList(from, from + BATCH);
                batches.add(b);
                byte[][] rk = new byte[BATCH][];
                System.arraycopy(rawKeys, from, rk, 0, BATCH);
                rawBatches.add(rk);
                Map<String, float[]> sb = new LinkedHashMap<>();
                b.forEach(t -> sb.put(t, vectors.get(t)));
                storeBatches.add(sb);
            }
            int nb = batches.size();

            System.out.printf("# %d threads, %d s per run after %d s warm-up, median of %d runs; %d-d float32 vectors "
                    + "(%d bytes), batches of %d; Redis %s%n", threads, run.getSeconds(), warmup.getSeconds(), reps, DIM,
                    DIM * 4, BATCH, redis.serverVersion().orElse("?"));
            double[][] single = interleaved(reps,
                    () -> Bench.throughput(threads, warmup, run, (t, i) -> model.retrieve(texts.get((int) ((i * 7 + t) % VECTORS)))),
                    () -> Bench.throughput(threads, warmup, run, (t, i) -> jedis.get(rawKeys[(int) ((i * 7 + t) % VECTORS)])),
                    () -> Bench.throughput(threads, warmup, run,
                            (t, i) -> VectorCodec.decodeFinite(jedis.get(rawKeys[(int) ((i * 7 + t) % VECTORS)]))));
            Bench.row("single retrieve (GET), ops/s", single[0], single[1]);
            Bench.row("  reference: raw GET + decode to float[], ops/s", single[2], single[1]);
            System.out.printf("  cache / (raw GET + decode): %.2fx, paired %s%n", Bench.median(single[0]) / Bench.median(single[2]),
                    Bench.paired(single[0], single[2]));
            double[][] batch = interleaved(reps,
                    () -> BATCH * Bench.throughput(threads, warmup, run, (t, i) -> model.batchRetrieve(batches.get((int) ((i + t) % nb)))),
                    () -> BATCH * Bench.throughput(threads, warmup, run, (t, i) -> jedis.mget(rawBatches.get((int) ((i + t) % nb)))),
                    () -> BATCH * Bench.throughput(threads, warmup, run, (t, i) -> {
                        for (byte[] value : jedis.mget(rawBatches.get((int) ((i + t) % nb)))) {
                            VectorCodec.decodeFinite(value);
                        }
                    }),
                    () -> BATCH * Bench.throughput(threads, warmup, run,
                            (t, i) -> model.batchRetrieveBuffers(batches.get((int) ((i + t) % nb)))));
            Bench.row("batch retrieve 100 (MGET) as float[], vectors/s", batch[0], batch[1]);
            Bench.row("batch retrieve 100 (MGET) as FloatBuffer views, vectors/s", batch[3], batch[1]);
            Bench.row("  reference: raw MGET + decode to float[], vectors/s", batch[2], batch[1]);
            System.out.printf("  cache float[] / (raw MGET + decode): %.2fx, paired %s%n", Bench.median(batch[0]) / Bench.median(batch[2]),
                    Bench.paired(batch[0], batch[2]));
            double[][] sliding = interleaved(reps,
                    () -> BATCH * Bench.throughput(threads, warmup, run, (t, i) -> slidingModel.batchRetrieve(batches.get((int) ((i + t) % nb)))),
                    () -> BATCH * Bench.throughput(threads, warmup, run, (t, i) -> {
                        List<Response<byte[]>> replies = new ArrayList<>(BATCH);
                        try (AbstractPipeline p = jedis.pipelined()) {
                            for (byte[] k : rawBatches.get((int) ((i + t) % nb))) {
                                replies.add(p.getEx(k, GetExParams.getExParams().ex(ttl)));
                            }
                            p.sync();
                        }
                        replies.forEach(Response::get);
                    }));
            Bench.row("batch retrieve 100, sliding TTL (GETEX pipeline), vectors/s", sliding[0], sliding[1]);
            double[][] store = interleaved(reps,
                    () -> BATCH * Bench.throughput(threads, warmup, run, (t, i) -> model.batchStore(storeBatches.get((int) ((i + t) % nb)))),
                    () -> BATCH * Bench.throughput(threads, warmup, run, (t, i) -> {
                        int from = (int) ((i + t) % nb) * BATCH;
                        try (AbstractPipeline p = jedis.pipelined()) {
                            for (int k = from; k < from + BATCH; k++) {
                                p.set(rawKeys[k], VectorCodec.encode(vectors.get(texts.get(k))), SetParams.setParams().ex(ttl));
                            }
                            p.sync();
                        }
                    }));
            Bench.row("batch store 100 (pipelined SET EX), vectors/s", store[0], store[1]);

            long binary = jedis.memoryUsage(rawKeys[0], 0);
            String json = jsonOf(vectors.get(texts.get(0)));
            jedis.setex("bench-json-vector", 60, json);
            long jsonInRedis = jedis.memoryUsage("bench-json-vector", 0);
            System.out.printf("bytes per vector in Redis (MEMORY USAGE): float32 %d, JSON %d (JSON text %d bytes): "
                    + "%.2fx smaller%n", binary, jsonInRedis, json.length(), (double) jsonInRedis / binary);
            slidingRedis.close();
        }
    }

    /** Each variant's runs, the variants interleaved run by run (cache, raw, ..., raw, cache, ...). */
    private static double[][] interleaved(int reps, Bench.ThrowingSupplier... variants) throws Exception {
        double[][] runs = new double[variants.length][reps];
        for (int i = 0; i < reps; i++) {
            for (int k = 0; k < variants.length; k++) {
                int v = Bench.caseAt(i, k, variants.length);
                runs[v][i] = variants[v].get();
            }
        }
        return runs;
    }

    private static JedisRedisManager manager(RedisServer server, int threads, boolean sliding) {
        return new JedisRedisManager(RedisCrewConfig.load(Bench.config(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()),
                "redis.crew.pool.max-total", String.valueOf(Math.max(8, threads * 2)),
                "redis.crew.pool.max-idle", String.valueOf(Math.max(8, threads * 2)),
                "redis.crew.embeddings.sliding-ttl", String.valueOf(sliding)))), null);
    }

    /** The vector as a JSON array, each component in its shortest exact decimal form. */
    static String jsonOf(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.append(']').toString();
    }
}
