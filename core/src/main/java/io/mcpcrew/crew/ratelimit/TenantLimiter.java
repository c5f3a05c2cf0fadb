package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.metrics.TenantMeters;
import io.mcpcrew.crew.tenancy.TenantKeys;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One tenant's {@link TenantRateLimiter} of a {@link RedisRateLimiter}: validates and caches the key bytes of its resources. */
final class TenantLimiter implements TenantRateLimiter {
    private static final int MAX_CACHED_RESOURCES = 10_000;

    /** A resource's two keys: the exact log's LIST and the quota HASH; and its meters (null with metrics off). */
    private record Keys(byte[] log, byte[] quota, TenantMeters.Handle<RateLimitMetrics.ResourceMeters> meters) {
        void decided(boolean allowed, DecidedBy by) {
            if (meters != null) {
                meters.get().decided(allowed, by);
            }
        }
    }

    private final RedisRateLimiter limiter;
    private final TenantKeys keys;
    private final Map<String, Keys> keyBytes = new ConcurrentHashMap<>();

    TenantLimiter(RedisRateLimiter limiter, TenantKeys keys) {
        this.limiter = limiter;
        this.keys = keys;
    }

    @Override
    public String tenant() {
        return keys.tenant();
    }

    private Keys keys(String resource) {
        Keys k = resource == null ? null : keyBytes.get(resource);
        if (k == null) {
            Names.require("resource", resource);
            k = new Keys(keys.key(RedisRateLimiter.COMPONENT, resource).getBytes(StandardCharsets.UTF_8),
                    keys.tagged(RedisRateLimiter.COMPONENT, resource, "q").getBytes(StandardCharsets.UTF_8),
                    limiter.metrics().resource(keys.tenant(), resource));
            if (keyBytes.size() < MAX_CACHED_RESOURCES) {
                keyBytes.put(resource, k);
            }
        }
        return k;
    }

    @Override
    public RateLimitDecision tryAcquire(String resource, int maxRequests, Duration window, int cost) {
        Keys k = keys(resource);
        byte[] key = k.log();
        limiter.checkCeilings(maxRequests, window);
        if (cost < 1 || cost > maxRequests) {
            throw new InvalidInputException("invalid cost " + cost + ": must be from 1 to maxRequests ("
                    + maxRequests + ")");
        }
        RateLimitDecision d = limiter.exactLog(keys.tenant(), resource, key, maxRequests, window, cost);
        k.decided(d.allowed(), d.decidedBy());
        return d;
    }

    @Override
    public QuotaDecision consume(String resource, Quota quota, long cost) {
        Keys k = keys(resource);
        if (quota.isExactLog()) {
            Limit l = quota.limits().get(0);
            long units = l.consumes(cost);
            if (cost < 1) {
                throw new InvalidInputException("invalid cost " + cost + ": must be at least 1");
            }
            return QuotaDecision.of(l, tryAcquire(resource, (int) Math.min(l.max(), Integer.MAX_VALUE), l.window(),
                    (int) Math.min(units, Integer.MAX_VALUE)));
        }
        limiter.check(quota);
        quota.requireCost(cost);
        QuotaDecision d = limiter.decide(keys.tenant(), resource, k.quota(), quota, true, cost);
        k.decided(d.allowed(), d.decidedBy());
        return d;
    }

    @Override
    public QuotaDecision adjust(String resource, Quota quota, long delta) {
        Keys k = keys(resource);
        if (quota.isExactLog()) {
            throw new InvalidInputException("cannot adjust resource '" + resource + "': its policy is an exact log ("
                    + quota + "), which cannot give units back; use token-bucket or sliding-counter limits");
        }
        limiter.check(quota);
        long bound = limiter.settings().unitsCeiling();
        if (delta < -bound || delta > bound) {
            throw new InvalidInputException("invalid delta " + delta + ": must be from -" + bound + " to " + bound
                    + " (" + RateLimitSettings.UNITS_CEILING + ")");
        }
        return limiter.decide(keys.tenant(), resource, k.quota(), quota, false, delta);
    }

    @Override
    public QuotaUsage usage(String resource, Quota quota) {
        Keys k = keys(resource);
        limiter.check(quota);
        return limiter.usage(keys.tenant(), resource, quota.isExactLog() ? k.log() : k.quota(), quota);
    }

    @Override
    public Quota quota(String resource) {
        return limiter.quota(keys.tenant(), resource, null);
    }

    @Override
    public RateLimitPolicy policy(String resource) {
        return limiter.policy(keys.tenant(), resource, null);
    }

    @Override
    public void reset(String resource) {
        Keys k = keys(resource);
        limiter.delete(k.log(), k.quota());
    }
}
