package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.config.RedisMode;
import io.mcpcrew.crew.redis.KeyspaceScan;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.tenancy.NameRegistry;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * What exists of a tenant's embeddings: its models (the registry {@code <prefix>:<tenant>:catalog:models}, written
 * when a node first establishes a model's dimension) with their dimensions, and how many vectors a model holds (a
 * bounded SCAN of every master, {@link KeyspaceScan}).
 */
final class ModelCatalog {
    /** The most models one page holds. */
    static final int MAX_PAGE = 1000;

    private final RedisManager redis;
    private final NameRegistry registry;

    ModelCatalog(RedisManager redis) {
        this.redis = redis;
        this.registry = new NameRegistry(redis);
    }

    /** Puts the model in the tenant's registry (once per process). */
    void register(TenantRedis t, String model) {
        registry.register(t, NameRegistry.MODELS, model);
    }

    /** A page of the tenant's models, each with its dimension (one pipeline of GETs for the page). */
    Page<CachedModel> models(TenantRedis t, String cursor, int limit) {
        Page<String> names = registry.page(t, NameRegistry.MODELS, cursor, limit,
                MAX_PAGE, EmbeddingKeys::requireModel);
        if (names.items().isEmpty()) {
            return new Page<>(List.of(), names.nextCursor());
        }
        List<String> dims = t.execute(j -> {
            List<Response<String>> rs = new ArrayList<>(names.items().size());
            try (AbstractPipeline p = j.pipelined()) {
                for (String m : names.items()) {
                    rs.add(p.get(EmbeddingKeys.dimensionKey(t.keys(), EmbeddingKeys.modelPart(m))));
                }
                p.sync();
            }
            List<String> out = new ArrayList<>(rs.size());
            for (Response<String> r : rs) {
                out.add(r.get());
            }
            return out;
        });
        List<CachedModel> out = new ArrayList<>(dims.size());
        for (int i = 0; i < dims.size(); i++) {
            String d = dims.get(i);
            int dim = d == null ? 0 : ModelDimension.parse(d.getBytes(StandardCharsets.US_ASCII));
            out.add(new CachedModel(names.items().get(i), dim > 0 ? dim : null));
        }
        return new Page<>(out, names.nextCursor());
    }

    /** The vectors of one model: every key under its prefix but the dimension key, over every master. */
    EntryCount count(TenantRedis t, String model, String modelPart, KeyspaceScan.Budget budget) {
        long started = System.nanoTime();
        String prefix = new String(EmbeddingKeys.vectorKeyPrefix(t.keys(), modelPart), StandardCharsets.US_ASCII);
        String dimKey = EmbeddingKeys.dimensionKey(t.keys(), modelPart);
        Map<String, long[]> perNode = new HashMap<>();
        KeyspaceScan.Result scan = KeyspaceScan.run(redis, budget, (node, keys) -> {
            long n = 0;
            for (String k : keys) {
                if (k.startsWith(prefix) && !k.equals(dimKey)) {
                    n++;
                }
            }
            perNode.computeIfAbsent(node, x -> new long[1])[0] += n;
        });
        long counted = 0;
        double estimated = 0;
        for (KeyspaceScan.NodeScan n : scan.nodes()) {
            long c = perNode.getOrDefault(n.node(), new long[1])[0];
            counted += c;
            estimated += c * n.weight();
        }
        boolean cluster = redis.config().mode() == RedisMode.CLUSTER;
        return new EntryCount(t.tenant(), model, scan.complete() ? counted : Math.round(estimated), counted,
                scan.complete(), scan.coverage(), scan.keysScanned(), scan.calls(), scan.roundTrips(cluster),
                (System.nanoTime() - started) / 1_000_000);
    }
}
