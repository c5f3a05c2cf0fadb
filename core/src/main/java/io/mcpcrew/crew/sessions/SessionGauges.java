package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.metrics.RedisReader;
import io.mcpcrew.crew.metrics.RedisReads;
import io.mcpcrew.crew.metrics.Rows;
import io.mcpcrew.crew.metrics.TenantPolicy;
import io.mcpcrew.crew.redis.KeyedCall;
import io.mcpcrew.crew.redis.PipelineReplies;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.tenancy.TenantKeys;
import io.mcpcrew.crew.validation.Names;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Active sessions per tenant, read from Redis: the tenants registry (tenants whose sessions may live:
 * {@code ZRANGEBYSCORE}, one round trip), each such tenant's users registry (one pipeline per node), then a
 * {@code ZCOUNT} of each user's index over the unexpired sessions (one pipeline per node): 1 + 2 round trips per node
 * whatever the number of tenants and users. At most {@code redis.crew.metrics.sessions.max-users} users are counted
 * per read (the users past it are reported by {@code crew.sessions.users.uncounted}). Series: the
 * {@code max-tenants} tenants with the most active sessions, the rest summed as {@code tenant="_other"}.
 */
final class SessionGauges implements RedisReader {
    private final RedisManager redis;
    private final int maxTenants;
    private final int maxUsers;
    private final Rows active;
    private final Rows tenants;
    private final Rows uncounted;

    SessionGauges(RedisManager redis, MeterRegistry r) {
        this.redis = redis;
        this.maxTenants = redis.metrics().settings().maxTenants();
        this.maxUsers = redis.metrics().settings().sessionsMaxUsers();
        active = Rows.gauge(r, "crew.sessions.active", "unexpired sessions in Redis", null, "tenant");
        tenants = Rows.gauge(r, "crew.sessions.tenants", "tenants with unexpired sessions", null);
        uncounted = Rows.gauge(r, "crew.sessions.users.uncounted", "users whose sessions the last read did not count "
                + "(past redis.crew.metrics.sessions.max-users)", null);
    }

    @Override
    public void read(RedisReads reads) {
        long now = System.currentTimeMillis();
        String tenantsKey = SessionKeys.tenantsRegistry(redis.config().keyPrefix());
        List<String> names = reads.execute(j -> j.zrangeByScore(tenantsKey, now, Double.POSITIVE_INFINITY))
                .stream().filter(Names::isValid).toList();
        List<KeyedCall> userCalls = new ArrayList<>();
        List<TenantKeys> keys = new ArrayList<>();
        for (String t : names) {
            TenantKeys k = redis.forTenant(t).keys();
            String users = SessionKeys.usersRegistry(k);
            keys.add(k);
            userCalls.add(KeyedCall.of(users, p -> p.zrangeByScore(users, now, Double.POSITIVE_INFINITY)));
        }
        PipelineReplies userReplies = reads.pipeline(userCalls);
        List<KeyedCall> counts = new ArrayList<>();
        List<Integer> tenantOf = new ArrayList<>();
        long skipped = 0;
        String min = Long.toString(now);
        for (int i = 0; i < keys.size(); i++) {
            if (!(userReplies.ok(i) instanceof List<?> users)) {
                continue;
            }
            for (Object u : users) {
                if (counts.size() >= maxUsers) {
                    skipped++;
                    continue;
                }
                String index = SessionKeys.index(keys.get(i), String.valueOf(u));
                counts.add(KeyedCall.of(index, p -> p.zcount(index, min, "+inf")));
                tenantOf.add(i);
            }
        }
        PipelineReplies countReplies = reads.pipeline(counts);
        Map<String, Long> byTenant = new HashMap<>();
        for (int i = 0; i < counts.size(); i++) {
            long n = countReplies.ok(i) instanceof Long c ? c : 0;
            byTenant.merge(names.get(tenantOf.get(i)), n, Long::sum);
        }
        List<String> ranked = new ArrayList<>(byTenant.keySet());
        ranked.removeIf(t -> byTenant.get(t) == 0);
        ranked.sort(Comparator.<String>comparingLong(byTenant::get).reversed().thenComparing(Comparator.naturalOrder()));
        Rows.Batch b = active.batch();
        for (int i = 0; i < ranked.size(); i++) {
            b.add(byTenant.get(ranked.get(i)), i < maxTenants ? ranked.get(i) : TenantPolicy.OTHER);
        }
        b.publish();
        tenants.batch().set(ranked.size()).publish();
        uncounted.batch().set(skipped).publish();
    }
}
