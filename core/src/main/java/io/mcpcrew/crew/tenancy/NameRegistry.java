package io.mcpcrew.crew.tenancy;

import io.mcpcrew.crew.paging.Cursors;
import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.redis.RedisManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The registries the listing API reads, written on first use: per tenant the names of its objects of one kind in
 * {@code <prefix>:<tenant>:catalog:<kind>} ({@link #QUEUES}, {@link #STREAMS}, {@link #MODELS}), and across tenants
 * the tenant ids in {@code <prefix>:_sys:catalog:tenants}: sorted sets, apart from the components' own keys (whose
 * rules, such as "every key has a TTL", they keep). A component calls {@link #register} on the write that creates an
 * object; each (tenant, kind, name) is written once per process ({@code ZADD <registry> 0 <name>}, and
 * {@code ZADD <prefix>:_sys:catalog:tenants 0 <tenant>} once per tenant), and again after Redis recovered from an
 * outage (it may have come back empty). Members are never removed and the keys have no TTL: a name stays listed after
 * its data expired or was removed.
 *
 * <p>Every score is 0, so a set is in byte order of its members and {@link #page} reads it with
 * {@code ZRANGE key (<last> + BYLEX LIMIT 0 n}: the cursor is the last member returned, and it stays valid whatever is
 * added meanwhile (a name added before the cursor is not returned, one added after it is).
 */
public final class NameRegistry {
    /** The key component of the registries: {@code <prefix>:<tenant>:catalog:<kind>}. */
    public static final String COMPONENT = "catalog";
    /** The kind of a tenant's task queues. */
    public static final String QUEUES = "queues";
    /** The kind of a tenant's event streams. */
    public static final String STREAMS = "streams";
    /** The kind of a tenant's embedding models (names as given, e.g. {@code BAAI/bge-small-en-v1.5}). */
    public static final String MODELS = "models";
    /** How many names a process remembers as written before it forgets them all (and writes them again). */
    private static final int MEMO_LIMIT = 100_000;

    private final RedisManager redis;
    private final String tenantsKey;
    /** What this process wrote: kind → tenant → names. */
    private final Map<String, Map<String, Set<String>>> written = new ConcurrentHashMap<>();
    private final Set<String> tenants = ConcurrentHashMap.newKeySet();
    private final AtomicInteger remembered = new AtomicInteger();

    /** One per component: the memo of what this process wrote is the component's own. */
    public NameRegistry(RedisManager redis) {
        this.redis = redis;
        this.tenantsKey = tenantsKey(redis.config().keyPrefix());
        redis.onRecovery(this::forget);
    }

    /** {@code <prefix>:_sys:catalog:tenants}: every tenant id that wrote through a component (a sorted set, score 0). */
    public static String tenantsKey(String keyPrefix) {
        return TenantKeys.systemKey(keyPrefix, COMPONENT, "tenants");
    }

    /** {@code <prefix>:<tenant>:catalog:<kind>}: the tenant's names of one kind (a sorted set, score 0). */
    public static String key(TenantKeys keys, String kind) {
        return keys.key(COMPONENT, kind);
    }

    /**
     * Records {@code name} in the tenant's registry of {@code kind} and the tenant in the tenants registry, unless this
     * process did so before. Throws what {@link RedisManager#execute} throws: the caller's write has not happened yet
     * and fails (or goes to its fallback) like any write.
     */
    public void register(TenantRedis tenant, String kind, String name) {
        Set<String> names = written.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(tenant.tenant(), t -> ConcurrentHashMap.newKeySet());
        if (names.contains(name)) {
            return; // the common case, on every write of an object: no allocation, no key built
        }
        registerTenant(tenant.tenant());
        String key = key(tenant.keys(), kind);
        redis.execute(j -> j.zadd(key, 0, name));
        remember(names, name);
    }

    /** Records a tenant in {@code <prefix>:_sys:catalog:tenants}, unless this process did so before. */
    public void registerTenant(String tenant) {
        if (tenants.contains(tenant)) {
            return;
        }
        redis.execute(j -> j.zadd(tenantsKey, 0, tenant));
        remember(tenants, tenant);
    }

    private void remember(Set<String> set, String member) {
        if (remembered.incrementAndGet() > MEMO_LIMIT) {
            forget();
        }
        set.add(member);
    }

    /** Forgets what this process wrote: the next write of each object writes its registry entry again. */
    private void forget() {
        written.clear();
        tenants.clear();
        remembered.set(0);
    }

    /**
     * One page of the tenant's registry of {@code kind}: at most {@code limit} (1 to {@code maxLimit}) names after the
     * cursor's, in byte order. {@code kind} names the list in cursors and their errors; {@code check} validates a name
     * taken from a cursor (throws for a bad one).
     */
    public Page<String> page(TenantRedis tenant, String kind, String cursor, int limit, int maxLimit,
            UnaryOperator<String> check) {
        return page(key(tenant.keys(), kind), kind, cursor, limit, maxLimit, check);
    }

    /** {@link #page(TenantRedis, String, String, int, int, UnaryOperator)} of any registry key. */
    public Page<String> page(String key, String kind, String cursor, int limit, int maxLimit,
            UnaryOperator<String> check) {
        Page.requireLimit(limit, maxLimit);
        String min = "-";
        if (cursor != null && !cursor.isEmpty()) {
            String last = Cursors.decode(kind, cursor, 1).get(0);
            try {
                check.apply(last);
            } catch (IllegalArgumentException e) {
                throw Cursors.invalid(cursor, kind);
            }
            min = "(" + last;
        }
        String from = min;
        List<String> found = redis.execute(j -> j.zrangeByLex(key, from, "+", 0, limit + 1));
        if (found.size() <= limit) {
            return new Page<>(found, null);
        }
        List<String> items = found.subList(0, limit);
        return new Page<>(items, Cursors.encode(kind, items.get(limit - 1)));
    }

    /** How many members a registry holds ({@code ZCARD}). */
    public long count(String key) {
        return redis.execute(j -> j.zcard(key));
    }
}
