package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.config.Durations;
import io.mcpcrew.crew.redis.BatchScript;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.tenancy.TenantKeys;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RateLimiter} on Redis: an exact sliding window per tenant and resource, kept as a LIST of admission
 * timestamps ({@code crew:<tenant>:ratelimit:<resource>}, at most {@code maxRequests} + 2 elements, a TTL of one
 * to three windows), decided by {@code sliding_window.lua} in one EVALSHA with the Redis server's clock
 * ({@code TIME}), so the decision is atomic and exact across threads and nodes whatever their clocks say. The key
 * format is in {@code docs/wire-format/ratelimit.md}.
 *
 * <p>The fast path allocates little: key bytes are cached per tenant and resource, and the script's numeric
 * arguments are small byte arrays. While Redis is unreachable (breaker open or a call failing) the configured
 * {@link FallbackMode} decides; the per-node windows are cleared when Redis is back.
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
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, Map<String, RateLimitPolicy>> overrides = new ConcurrentHashMap<>();
    private final Map<String, Optional<RateLimitPolicy>> configured = new ConcurrentHashMap<>();

    /** For the CDI proxy only. */
    protected RedisRateLimiter() {
    }

    @Inject
    public RedisRateLimiter(RedisManager redis) {
        this.redis = redis;
        this.settings = new RateLimitSettings(redis.config().source(), redis.ttl(DataType.RATE_LIMIT));
        this.local = new LocalSlidingWindow(settings.fallbackMaxKeys());
        redis.registerScript(SLIDING_WINDOW_LUA);
        redis.onRecovery(local::clear);
    }

    public RateLimitSettings settings() {
        return settings;
    }

    @Override
    public TenantRateLimiter forTenant(String tenant) {
        Tenant t = tenant == null ? null : tenants.get(tenant);
        if (t == null) {
            Tenant fresh = new Tenant(redis.forTenant(tenant).keys()); // validates the id
            if (tenants.size() >= MAX_CACHED_TENANTS) {
                tenants.clear();
            }
            t = tenants.computeIfAbsent(tenant, k -> fresh);
        }
        return t;
    }

    @Override
    public RateLimitPolicy policy(String tenant, String resource, RateLimitPolicy callerDefault) {
        requireNames(tenant, resource);
        Map<String, RateLimitPolicy> byResource = overrides.get(tenant);
        RateLimitPolicy p = byResource == null ? null : byResource.get(resource);
        if (p != null) {
            return p;
        }
        Optional<RateLimitPolicy> c = configured.get(resource);
        if (c == null) {
            c = settings.configured(resource);
            if (configured.size() < MAX_CACHED_RESOURCES) { // resource names come from requests: stay bounded
                configured.put(resource, c);
            }
        }
        if (c.isPresent()) {
            return c.get();
        }
        return callerDefault != null ? callerDefault : settings.defaultPolicy();
    }

    @Override
    public void setPolicy(String tenant, String resource, RateLimitPolicy policy) {
        requireNames(tenant, resource);
        checkCeilings(policy.maxRequests(), policy.window());
        overrides.computeIfAbsent(tenant, k -> new ConcurrentHashMap<>()).put(resource, policy);
    }

    @Override
    public Optional<RateLimitPolicy> policyOverride(String tenant, String resource) {
        requireNames(tenant, resource);
        Map<String, RateLimitPolicy> byResource = overrides.get(tenant);
        return Optional.ofNullable(byResource == null ? null : byResource.get(resource));
    }

    @Override
    public boolean clearPolicy(String tenant, String resource) {
        requireNames(tenant, resource);
        Map<String, RateLimitPolicy> byResource = overrides.get(tenant);
        return byResource != null && byResource.remove(resource) != null;
    }

    private static void requireNames(String tenant, String resource) {
        Names.tenant(tenant);
        Names.require("resource", resource);
    }

    @Override
    public FallbackMode fallbackMode() {
        return settings.fallbackMode();
    }

    private void checkCeilings(int maxRequests, Duration window) {
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

    private static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** One tenant's limiter: caches the key bytes of its resources. */
    private final class Tenant implements TenantRateLimiter {
        private final TenantKeys keys;
        private final Map<String, byte[]> keyBytes = new ConcurrentHashMap<>();

        Tenant(TenantKeys keys) {
            this.keys = keys;
        }

        @Override
        public String tenant() {
            return keys.tenant();
        }

        private byte[] key(String resource) {
            byte[] k = resource == null ? null : keyBytes.get(resource);
            if (k == null) {
                Names.require("resource", resource);
                k = keys.key(COMPONENT, resource).getBytes(StandardCharsets.UTF_8);
                if (keyBytes.size() < MAX_CACHED_RESOURCES) {
                    keyBytes.put(resource, k);
                }
            }
            return k;
        }

        @Override
        public RateLimitDecision tryAcquire(String resource, int maxRequests, Duration window, int cost) {
            byte[] key = key(resource);
            checkCeilings(maxRequests, window);
            if (cost < 1 || cost > maxRequests) {
                throw new InvalidInputException("invalid cost " + cost + ": must be from 1 to maxRequests ("
                        + maxRequests + ")");
            }
            return redis.withFallback(() -> onRedis(key, maxRequests, window, cost),
                    maybeWritten -> fallback(keys.tenant(), resource, maxRequests, window, cost));
        }

        private RateLimitDecision onRedis(byte[] key, int maxRequests, Duration window, int cost) {
            long windowMicros = window.toNanos() / 1000;
            List<Object> r = redis.evalItem(SLIDING_WINDOW, List.of(key),
                    List.of(ascii(maxRequests), ascii(windowMicros), ascii(cost)));
            long retryAfter = (Long) r.get(2);
            long now = (Long) r.get(3);
            return new RateLimitDecision(retryAfter == 0, maxRequests, window, (int) Math.max(0, (Long) r.get(0)),
                    micros((Long) r.get(1)), micros(retryAfter), DecidedBy.REDIS,
                    Instant.ofEpochSecond(now / 1_000_000, (now % 1_000_000) * 1000));
        }

        @Override
        public RateLimitPolicy policy(String resource) {
            return RedisRateLimiter.this.policy(keys.tenant(), resource, null);
        }

        @Override
        public void reset(String resource) {
            byte[] key = key(resource);
            redis.execute(j -> j.del(key));
        }
    }

    private static Duration micros(long us) {
        return us <= 0 ? Duration.ZERO : Duration.ofNanos(us * 1000);
    }
}
