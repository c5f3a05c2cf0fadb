package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.config.Durations;
import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.redis.BatchScript;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RateLimiter} on Redis. The exact log: a sliding window per tenant and resource, kept as a LIST of admission
 * timestamps ({@code crew:<tenant>:ratelimit:<resource>}, at most {@code maxRequests} + 2 elements, a TTL of one
 * to three windows), decided by {@code sliding_window.lua} in one EVALSHA with the Redis server's clock
 * ({@code TIME}), so the decision is atomic and exact across threads and nodes whatever their clocks say. Token
 * buckets and sliding counters: all limits of a policy in one HASH ({@code crew:<tenant>:ratelimit:{<tenant>.
 * <resource>}:q}), decided together by {@code quota.lua} ({@link QuotaScript}). The usage of either is read by
 * {@code usage.lua} ({@link UsageScript}), which writes nothing. Policies are stored in Redis
 * ({@link PolicyStore}). The key formats are in {@code docs/wire-format/ratelimit.md}.
 *
 * <p>The fast path allocates little: key bytes are cached per tenant and resource, and the script's numeric
 * arguments are small byte arrays. While Redis is unreachable (breaker open or a call failing) the configured
 * {@link FallbackMode} decides; the per-node windows and buckets are cleared when Redis is back.
 */
@ApplicationScoped
public class RedisRateLimiter implements RateLimiter {
    static final String COMPONENT = "ratelimit";
    static final LuaScript SLIDING_WINDOW_LUA = LuaScript.fromResource(RedisRateLimiter.class, "sliding_window.lua");
    /**
     * 3 arguments per key (limit, window µs, cost), 3 replies per key (remaining, reset µs, retry µs) and the server
     * time (µs) of the run; concurrent checks share one EVALSHA, and send their arguments once when they are equal.
     */
    static final BatchScript SLIDING_WINDOW = new BatchScript(SLIDING_WINDOW_LUA, 1, 3, 3, 1, true);
    private static final int MAX_CACHED_TENANTS = 10_000;
    private static final int MAX_CACHED_RESOURCES = 10_000;

    private RedisManager redis;
    private RateLimitSettings settings;
    private LocalSlidingWindow local;
    private LocalQuotas localQuotas;
    private PolicyStore policies;
    private final QuotaScript quotaScript = new QuotaScript();
    private final Map<String, TenantLimiter> tenants = new ConcurrentHashMap<>();
    private final Map<String, Optional<Quota>> configured = new ConcurrentHashMap<>();
    private Quota configuredDefault;
    private RateLimitMetrics metrics;

    /** For the CDI proxy only. */
    protected RedisRateLimiter() {
    }

    @Inject
    public RedisRateLimiter(RedisManager redis) {
        this.redis = redis;
        this.settings = new RateLimitSettings(redis.config().source(), redis.ttl(DataType.RATE_LIMIT));
        this.local = new LocalSlidingWindow(settings.fallbackMaxKeys());
        this.localQuotas = new LocalQuotas(settings.fallbackMaxKeys(), System::nanoTime);
        this.policies = new PolicyStore(redis, settings.policyCache(), System::nanoTime);
        this.configuredDefault = settings.configuredQuota(RateLimitSettings.DEFAULT_RESOURCE)
                .orElse(Quota.of(RateLimitSettings.DEFAULT_RESOURCE, settings.defaultPolicy()));
        redis.registerScript(SLIDING_WINDOW_LUA);
        redis.registerScript(QuotaScript.LUA);
        redis.registerScript(UsageScript.LUA);
        redis.onRecovery(local::clear);
        redis.onRecovery(localQuotas::clear);
        this.metrics = RateLimitMetrics.of(redis.metrics());
    }

    /** This node's rate-limit meters. */
    RateLimitMetrics metrics() {
        return metrics;
    }

    public RateLimitSettings settings() {
        return settings;
    }

    @Override
    public TenantRateLimiter forTenant(String tenant) {
        TenantLimiter t = tenant == null ? null : tenants.get(tenant);
        if (t == null) {
            TenantLimiter fresh = new TenantLimiter(this, redis.forTenant(tenant).keys()); // validates the id
            if (tenants.size() >= MAX_CACHED_TENANTS) {
                tenants.clear();
            }
            t = tenants.computeIfAbsent(tenant, k -> fresh);
        }
        return t;
    }

    @Override
    public RateLimitPolicy policy(String tenant, String resource, RateLimitPolicy callerDefault) {
        return quota(tenant, resource, callerDefault == null ? null : Quota.of(resource, callerDefault)).toPolicy();
    }

    @Override
    public Quota quota(String tenant, String resource, Quota callerDefault) {
        requireNames(tenant, resource);
        PolicyStore.Stored stored = policies.lookup(tenant, resource);
        if (stored.own() != null) {
            return stored.own().forResource(resource);
        }
        Optional<Quota> c = configured.get(resource);
        if (c == null) {
            c = settings.configuredQuota(resource);
            if (configured.size() < MAX_CACHED_RESOURCES) { // resource names come from requests: stay bounded
                configured.put(resource, c);
            }
        }
        if (c.isPresent()) {
            return c.get();
        }
        if (callerDefault != null) {
            return callerDefault.forResource(resource);
        }
        return (stored.tenantDefault() != null ? stored.tenantDefault() : configuredDefault).forResource(resource);
    }

    @Override
    public void setQuota(String tenant, String resource, Quota quota) {
        requireNames(tenant, resource);
        check(quota);
        policies.put(tenant, resource, quota.forResource(resource));
    }

    @Override
    public void setPolicy(String tenant, String resource, RateLimitPolicy policy) {
        setQuota(tenant, resource, Quota.of(resource, policy));
    }

    @Override
    public Optional<Quota> storedQuota(String tenant, String resource) {
        requireNames(tenant, resource);
        return policies.read(tenant, resource);
    }

    @Override
    public boolean clearPolicy(String tenant, String resource) {
        requireNames(tenant, resource);
        return policies.remove(tenant, resource);
    }

    private static void requireNames(String tenant, String resource) {
        Names.tenant(tenant);
        Names.require("resource", resource);
    }

    @Override
    public Page<StoredPolicy> storedPolicies(String tenant, String cursor, int limit) {
        Names.tenant(tenant);
        return policies.page(tenant, cursor, limit);
    }

    @Override
    public FallbackMode fallbackMode() {
        return settings.fallbackMode();
    }

    /** The configured ceilings of every limit of {@code quota}. */
    void check(Quota quota) {
        if (quota.isExactLog()) {
            Limit l = quota.limits().get(0);
            checkCeilings(l.max(), l.window());
        } else {
            settings.check(quota);
        }
    }

    void checkCeilings(long maxRequests, Duration window) {
        if (maxRequests <= 0 || maxRequests > settings.maxRequestsCeiling()) {
            throw new InvalidInputException("invalid maxRequests " + maxRequests + ": must be from 1 to "
                    + settings.maxRequestsCeiling() + " (" + RateLimitSettings.MAX_REQUESTS_CEILING + ")");
        }
        if (window == null || window.compareTo(RateLimitPolicy.MIN_WINDOW) < 0 || window.compareTo(settings.windowCeiling()) > 0) {
            throw new InvalidInputException("invalid window " + (window == null ? "null" : Durations.format(window))
                    + ": must be from 1ms to " + Durations.format(settings.windowCeiling()) + " ("
                    + RateLimitSettings.WINDOW_CEILING + ")");
        }
    }

    /** The exact log on Redis, or the fallback. */
    RateLimitDecision exactLog(String tenant, String resource, byte[] key, int maxRequests, Duration window, int cost) {
        return redis.withFallback(() -> onRedis(key, maxRequests, window, cost),
                maybeWritten -> fallback(tenant, resource, maxRequests, window, cost));
    }

    /** A quota's check ({@code check}) or adjust on Redis, or the fallback. */
    QuotaDecision decide(String tenant, String resource, byte[] key, Quota quota, boolean check, long amount) {
        return redis.withFallback(() -> quotaScript.run(redis, key, quota, check, amount),
                maybeWritten -> quotaFallback(tenant, resource, quota, check, amount));
    }

    /**
     * The usage of {@code quota} on {@code key} (the exact log's LIST or the quota HASH), read only on Redis, or from
     * the fallback's state.
     */
    QuotaUsage usage(String tenant, String resource, byte[] key, Quota quota) {
        return redis.withFallback(() -> UsageScript.run(redis, resource, key, quota),
                maybeWritten -> usageFallback(tenant, resource, quota));
    }

    /**
     * A usage while Redis is unreachable: local reads this node's windows and buckets of its share of every limit;
     * fail-open and fail-closed count nothing (all remaining, or nothing remaining until the breaker may close).
     */
    private QuotaUsage usageFallback(String tenant, String resource, Quota quota) {
        FallbackMode mode = settings.fallbackMode();
        if (mode == FallbackMode.LOCAL) {
            Quota share = quota.share(settings.fallbackNodes());
            String key = tenant + ':' + resource;
            return share.isExactLog()
                    ? new QuotaUsage(resource, List.of(local.usage(key, share.limits().get(0))), DecidedBy.LOCAL_FALLBACK,
                            Instant.now())
                    : localQuotas.usage(key, resource, share);
        }
        boolean open = mode == FallbackMode.FAIL_OPEN;
        Duration retry = open ? Duration.ZERO : redis.config().breakerOpenDuration();
        List<LimitUsage> limits = new ArrayList<>();
        for (Limit l : quota.limits()) {
            limits.add(new LimitUsage(l, 0, open ? l.capacity() : 0, Duration.ZERO, retry));
        }
        return new QuotaUsage(resource, limits, open ? DecidedBy.FAIL_OPEN : DecidedBy.FAIL_CLOSED, Instant.now());
    }

    /** Forgets the keys of a resource. */
    void delete(byte[]... keys) {
        for (byte[] k : keys) { // one at a time: on Cluster they live in different slots
            redis.execute(j -> j.del(k));
        }
    }

    private RateLimitDecision onRedis(byte[] key, int maxRequests, Duration window, int cost) {
        long windowMicros = window.toNanos() / 1000;
        List<Object> r = redis.evalItem(SLIDING_WINDOW, List.of(key),
                List.of(QuotaScript.ascii(maxRequests), QuotaScript.ascii(windowMicros), QuotaScript.ascii(cost)));
        long retryAfter = (Long) r.get(2);
        long now = (Long) r.get(3);
        return new RateLimitDecision(retryAfter == 0, maxRequests, window, (int) Math.max(0, (Long) r.get(0)),
                QuotaScript.micros((Long) r.get(1)), QuotaScript.micros(retryAfter), DecidedBy.REDIS,
                Instant.ofEpochSecond(now / 1_000_000, (now % 1_000_000) * 1000));
    }

    private RateLimitDecision fallback(String tenant, String resource, int maxRequests, Duration window, int cost) {
        switch (settings.fallbackMode()) {
            case FAIL_OPEN:
                return new RateLimitDecision(true, maxRequests, window, Math.max(0, maxRequests - cost), Duration.ZERO,
                        Duration.ZERO, DecidedBy.FAIL_OPEN, Instant.now());
            case FAIL_CLOSED: {
                Duration retry = redis.config().breakerOpenDuration();
                return new RateLimitDecision(false, maxRequests, window, 0, retry, retry, DecidedBy.FAIL_CLOSED,
                        Instant.now());
            }
            default: {
                int share = Math.max(1, maxRequests / settings.fallbackNodes());
                return local.tryAcquire(tenant + ':' + resource, share, window, cost);
            }
        }
    }

    /**
     * A quota while Redis is unreachable: fail-open admits (an adjust changes nothing), fail-closed refuses a check
     * by its first limit for the breaker's open duration, local decides on this node's share of every limit.
     */
    private QuotaDecision quotaFallback(String tenant, String resource, Quota quota, boolean check, long amount) {
        FallbackMode mode = settings.fallbackMode();
        if (mode == FallbackMode.LOCAL) {
            return localQuotas.decide(tenant + ':' + resource, quota.share(settings.fallbackNodes()), check, amount);
        }
        boolean open = mode == FallbackMode.FAIL_OPEN;
        Duration retry = open || !check ? Duration.ZERO : redis.config().breakerOpenDuration();
        List<LimitState> states = new ArrayList<>();
        for (Limit l : quota.limits()) {
            long remaining = open ? Math.max(0, l.capacity() - (check ? l.consumes(amount) : 0)) : 0;
            states.add(new LimitState(l, remaining, Duration.ZERO, retry));
        }
        boolean allowed = open || !check;
        return new QuotaDecision(allowed, allowed ? null : quota.limits().get(0).name(), retry, states,
                open ? DecidedBy.FAIL_OPEN : DecidedBy.FAIL_CLOSED, Instant.now());
    }
}
