package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.config.RedisMode;
import io.mcpcrew.crew.journal.Record;
import io.mcpcrew.crew.journal.RecordCodec;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.resilience.FallbackBuffer;
import io.mcpcrew.crew.resilience.WriteBack;
import io.mcpcrew.crew.tenancy.TenantRedis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.ScanIteration;

/**
 * {@link EmbeddingCache} on Redis: vectors as little-endian float32 strings under
 * {@code <prefix>:<tenant>:embeddings:<model-part>:<sha256(text)>} with the EMBEDDING TTL, the model's dimension under
 * {@code ...:<model-part>:dim} (see {@link EmbeddingKeys}). Keys are not hash-tagged: one model's vectors spread over
 * a Cluster; batches go out as one MGET (standalone, Sentinel) or one pipeline (Cluster, or sliding TTL with GETEX).
 *
 * <p>Shared by every tenant and model of the node: the per-model state (dimension, counters), the single-flight
 * table of {@code getOrCompute} and the fallback. While {@link RedisManager#useFallback()} (or when a call fails with
 * {@code RedisUnavailableException} and {@code redis.crew.fallback.enabled}), reads and writes go to a
 * {@link LocalEmbeddingLru}; invalidations and clears made meanwhile are applied to Redis when it is back, and the
 * local LRU is then emptied (Redis is the one source again).
 *
 * <p>Single flight is per node. Across nodes two callers may compute the same missing text at the same moment; the
 * vectors are the model's output for the same text, so the second write replaces the first with an equal value.
 * A Redis lock per text would cost a round trip per miss on every call for a rare, harmless duplicate.
 */
@ApplicationScoped
public class RedisEmbeddingCache implements EmbeddingCache {
    /** Invalidations and clears made while Redis was down, replayed on recovery; beyond this they are refused. */
    static final int MAX_PENDING_REMOVALS = 10_000;
    /**
     * Tenant+model pairs whose state (dimension, counters) the node keeps. Model names come from callers (HTTP), so
     * the table is bounded: beyond it a pair gets a state of its own per view (still correct: the dimension is read
     * from Redis; its counters are not accumulated).
     */
    static final int MAX_TRACKED_MODELS = 10_000;

    private final RedisManager redis;
    private final EmbeddingConfig config;
    private final LocalEmbeddingLru local;
    private final FallbackBuffer<PendingRemoval> pendingRemovals;
    private final ConcurrentHashMap<String, ModelState> models;
    private final ConcurrentHashMap<String, CompletableFuture<float[]>> inFlight;
    private final ModelCatalog catalog;

    /** For the CDI proxy only. */
    protected RedisEmbeddingCache() {
        redis = null;
        config = null;
        local = null;
        pendingRemovals = null;
        models = null;
        inFlight = null;
        catalog = null;
    }

    /** The CDI bean: settings from {@code redis.crew.embeddings.*} in the manager's configuration source. */
    @Inject
    public RedisEmbeddingCache(RedisManager redis) {
        this(redis, EmbeddingConfig.load(redis.config().source()));
    }

    public RedisEmbeddingCache(RedisManager redis, EmbeddingConfig config) {
        this.redis = redis;
        this.config = config;
        this.local = new LocalEmbeddingLru(config.fallbackMaxBytes());
        this.pendingRemovals = new FallbackBuffer<>("embedding invalidation", MAX_PENDING_REMOVALS,
                redis.journal("embedding-invalidations"), new RecordCodec<>() {
                    @Override
                    public byte[] encode(PendingRemoval r) {
                        return Record.write(1).str(r.tenant()).str(r.key()).str(r.scanPattern()).bytes();
                    }

                    @Override
                    public PendingRemoval decode(byte[] record) {
                        Record.Reader in = Record.read(record, 1);
                        return new PendingRemoval(in.str(), in.str(), in.str());
                    }
                });
        this.models = new ConcurrentHashMap<>();
        this.inFlight = new ConcurrentHashMap<>();
        this.catalog = new ModelCatalog(redis);
        redis.onRecovery(this::recovered);
        redis.addWriteBack(WriteBack.of("embedding invalidations", pendingRemovals::size, this::applyPendingRemovals));
    }

    @Override
    public TenantEmbeddings forTenant(String tenant) {
        return new RedisTenantEmbeddings(this, redis.forTenant(tenant));
    }

    /** The tenant's models and their entry counts. */
    ModelCatalog catalog() {
        return catalog;
    }

    /** The state this node keeps for a tenant's model (its dimension, its counters). */
    ModelState state(String tenant, String modelPart) {
        String id = tenant + '\u0000' + modelPart;
        ModelState state = models.get(id);
        if (state == null) {
            var meters = EmbeddingMetrics.of(redis.metrics()).model(tenant, modelPart);
            state = models.size() < MAX_TRACKED_MODELS ? models.computeIfAbsent(id, k -> new ModelState(meters))
                    : new ModelState(meters);
        }
        return state;
    }

    @Override
    public EmbeddingConfig config() {
        return config;
    }

    /** The local LRU used while Redis is unavailable (for monitoring: size, bytes). */
    public LocalEmbeddingLru fallbackLru() {
        return local;
    }

    /** Invalidations and clears waiting for Redis to come back. */
    public int pendingRemovals() {
        return pendingRemovals.size();
    }

    RedisManager redis() {
        return redis;
    }

    LocalEmbeddingLru local() {
        return local;
    }

    ConcurrentHashMap<String, CompletableFuture<float[]>> inFlight() {
        return inFlight;
    }

    boolean cluster() {
        return redis.config().mode() == RedisMode.CLUSTER;
    }

    /**
     * Created when the application starts, not on first use: what a previous run left in the fallback journal is
     * loaded and written back even if nothing calls this component.
     */
    void onStart(@jakarta.enterprise.event.Observes @jakarta.enterprise.context.Initialized(
            jakarta.enterprise.context.ApplicationScoped.class) Object event) {
        // constructing the bean is the work
    }

    long ttlSeconds() {
        return Math.max(1, redis.ttl(DataType.EMBEDDING).getSeconds());
    }

    /** Remembers a removal made while Redis was down (throws {@code FallbackBufferFullException} when full). */
    void pendingRemoval(String tenant, String keyOrNull, String scanPatternOrNull) {
        pendingRemovals.add(new PendingRemoval(tenant, keyOrNull, scanPatternOrNull));
    }

    /** Vectors stored locally during the outage are not written back (a cache); dimensions are learned again. */
    private void recovered() {
        local.clear();
        models.values().forEach(ModelState::forgetDimension);
    }

    /** Applies the invalidations made while Redis was down (UNLINK: idempotent); returns how many. */
    private int applyPendingRemovals() {
        return pendingRemovals.flush(r -> {
            TenantRedis t = redis.forTenant(r.tenant());
            if (r.key() != null) {
                t.execute(j -> j.unlink(r.key()));
            } else {
                unlinkMatching(t, r.scanPattern());
            }
            return true;
        });
    }

    /**
     * Unlinks every key of the tenant matching {@code pattern} (SCAN, on every master of a Cluster; one pipeline per
     * page); returns how many keys other than dimension keys were removed.
     */
    static long unlinkMatching(TenantRedis tenant, String pattern) {
        return tenant.execute(j -> {
            long removed = 0;
            ScanIteration it = j.scanIteration(500, pattern);
            while (!it.isIterationCompleted()) {
                List<String> keys = it.nextBatch().getResult();
                List<String> owned = new ArrayList<>(keys.size());
                for (String k : keys) {
                    if (tenant.keys().owns(k)) {
                        owned.add(k);
                    }
                }
                if (owned.isEmpty()) {
                    continue;
                }
                List<Response<Long>> replies = new ArrayList<>(owned.size());
                try (AbstractPipeline p = j.pipelined()) {
                    for (String k : owned) {
                        replies.add(p.unlink(k));
                    }
                    p.sync();
                }
                for (int i = 0; i < owned.size(); i++) {
                    if (replies.get(i).get() > 0 && !owned.get(i).endsWith(":" + EmbeddingKeys.DIMENSION_SUFFIX)) {
                        removed++;
                    }
                }
            }
            return removed;
        });
    }

    /** A removal to replay on Redis: one key, or every key matching a SCAN pattern. */
    private record PendingRemoval(String tenant, String key, String scanPattern) {
    }
}
