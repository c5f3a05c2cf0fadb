package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.paging.Cursors;
import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.tenancy.NameRegistry;
import io.mcpcrew.crew.validation.Json;
import io.mcpcrew.crew.validation.Names;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The policies stored in Redis, shared by every node: one HASH per tenant, {@code <prefix>:<tenant>:ratelimit-policy},
 * field = resource ({@code default}: the tenant's default), value = the policy as JSON
 * ({@code {"limits":[{"name":"tpm","unit":"tokens","algorithm":"token-bucket","max":150000,"windowMicros":60000000,
 * "burst":150000}]}}). No TTL: a policy is configuration, kept until removed. Reads go through a local cache of
 * {@code redis.crew.ratelimit.policy-cache}: a change made on any node is applied by every node within that time
 * (at once on the node that made it). While Redis is unreachable the last policies read are used.
 */
final class PolicyStore {
    static final String COMPONENT = "ratelimit-policy";
    private static final Logger LOG = Logger.getLogger(PolicyStore.class.getName());
    private static final int MAX_CACHED = 10_000;

    /** The stored policies that may apply to a tenant and resource: its own and the tenant's default (each may be null). */
    record Stored(Quota own, Quota tenantDefault, long readAtNanos) {
    }

    private final RedisManager redis;
    private final long cacheNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Stored> cache = new ConcurrentHashMap<>();
    private final NameRegistry catalog;

    PolicyStore(RedisManager redis, Duration cache, LongSupplier nanoClock) {
        this.redis = redis;
        this.catalog = new NameRegistry(redis);
        this.cacheNanos = cache.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The stored policies of {@code tenant}'s {@code resource}, at most {@code policy-cache} old. */
    Stored lookup(String tenant, String resource) {
        String k = tenant + ':' + resource;
        Stored s = cache.get(k);
        long now = nanoClock.getAsLong();
        if (s != null && now - s.readAtNanos() < cacheNanos) {
            return s;
        }
        try {
            String key = key(tenant);
            List<String> v = redis.execute(j -> j.hmget(key, resource, RateLimitSettings.DEFAULT_RESOURCE));
            s = new Stored(parse(v.get(0), tenant, resource), parse(v.get(1), tenant, RateLimitSettings.DEFAULT_RESOURCE),
                    now);
        } catch (RedisUnavailableException e) {
            return s != null ? s : new Stored(null, null, now); // keep what was read last; ask again next time
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(k, s);
        return s;
    }

    /** The stored policy of {@code resource}, read from Redis now. */
    Optional<Quota> read(String tenant, String resource) {
        String key = key(tenant);
        return Optional.ofNullable(parse(redis.execute(j -> j.hget(key, resource)), tenant, resource));
    }

    void put(String tenant, String resource, Quota quota) {
        catalog.registerTenant(tenant); // the tenants the listing shows (once per process)
        String key = key(tenant);
        String json = toJson(quota);
        redis.execute(j -> j.hset(key, resource, json));
        forget(tenant, resource);
    }

    /**
     * A page of the tenant's stored policies by resource name (byte order), after the cursor's resource: the names are
     * read with HSCAN (a tenant stores at most one policy per resource), the page's values with one HMGET.
     */
    Page<StoredPolicy> page(String tenant, String cursor, int limit) {
        Page.requireLimit(limit, RateLimiter.MAX_POLICIES_PAGE);
        String after = null;
        if (cursor != null && !cursor.isEmpty()) {
            after = Cursors.decode("policies", cursor, 1).get(0);
            if (!Names.isValid(after)) {
                throw Cursors.invalid(cursor, "policies");
            }
        }
        String key = key(tenant);
        TreeSet<String> names = new TreeSet<>();
        String last = after;
        redis.execute(j -> {
            String c = ScanParams.SCAN_POINTER_START;
            ScanParams params = new ScanParams().count(1000);
            do {
                ScanResult<Map.Entry<String, String>> page = j.hscan(key, c, params);
                for (Map.Entry<String, String> e : page.getResult()) {
                    if (last == null || e.getKey().compareTo(last) > 0) {
                        names.add(e.getKey());
                        if (names.size() > limit + 1) {
                            names.pollLast(); // keep only the first limit + 1 after the cursor
                        }
                    }
                }
                c = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(c));
            return null;
        });
        List<String> chosen = new ArrayList<>(names);
        boolean more = chosen.size() > limit;
        if (more) {
            chosen = chosen.subList(0, limit);
        }
        if (chosen.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        String[] fields = chosen.toArray(new String[0]);
        List<String> values = redis.execute(j -> j.hmget(key, fields));
        List<StoredPolicy> out = new ArrayList<>(fields.length);
        for (int i = 0; i < fields.length; i++) {
            if (values.get(i) != null) { // removed meanwhile
                out.add(new StoredPolicy(fields[i], parse(values.get(i), tenant, fields[i])));
            }
        }
        return new Page<>(out, more ? Cursors.encode("policies", fields[fields.length - 1]) : null);
    }

    boolean remove(String tenant, String resource) {
        String key = key(tenant);
        boolean removed = redis.execute(j -> j.hdel(key, resource)) > 0;
        forget(tenant, resource);
        return removed;
    }

    private void forget(String tenant, String resource) {
        if (RateLimitSettings.DEFAULT_RESOURCE.equals(resource)) {
            cache.keySet().removeIf(k -> k.startsWith(tenant + ':')); // the tenant default stands behind every resource
        } else {
            cache.remove(tenant + ':' + resource);
        }
    }

    private String key(String tenant) {
        return redis.forTenant(tenant).keys().key(COMPONENT);
    }

    /** A stored value that is not a valid policy (written by something else) counts as none, and is logged. */
    private static Quota parse(String json, String tenant, String resource) {
        if (json == null) {
            return null;
        }
        try {
            return fromJson(json);
        } catch (RuntimeException e) { // not JSON, not a policy, or a number out of range
            LOG.log(Level.WARNING, "ignoring the stored rate-limit policy of resource {0} of tenant {1}: {2}",
                    new Object[] {resource, tenant, e.getMessage()});
            return null;
        }
    }

    static String toJson(Quota quota) {
        List<Map<String, Object>> limits = new ArrayList<>();
        for (Limit l : quota.limits()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", l.name());
            m.put("unit", l.unit().text());
            m.put("algorithm", l.algorithm().text());
            m.put("max", l.max());
            m.put("windowMicros", l.windowMicros());
            m.put("burst", l.burst());
            limits.add(m);
        }
        return Json.toJson(Map.of("limits", limits));
    }

    static Quota fromJson(String json) {
        JsonObject o;
        try (JsonReader r = jakarta.json.Json.createReader(new StringReader(json))) {
            o = r.readObject();
        }
        List<Limit> limits = new ArrayList<>();
        for (JsonObject l : o.getJsonArray("limits").getValuesAs(JsonObject.class)) {
            limits.add(new Limit(l.getString("name"), LimitUnit.parse(l.getString("unit")),
                    LimitAlgorithm.parse(l.getString("algorithm")), l.getJsonNumber("max").longValueExact(),
                    Duration.ofNanos(Math.multiplyExact(l.getJsonNumber("windowMicros").longValueExact(), 1000L)),
                    l.getJsonNumber("burst").longValueExact()));
        }
        return new Quota(limits);
    }
}
