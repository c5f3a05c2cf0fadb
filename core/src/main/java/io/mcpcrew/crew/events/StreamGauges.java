package io.mcpcrew.crew.events;

import io.mcpcrew.crew.metrics.RedisReader;
import io.mcpcrew.crew.metrics.RedisReads;
import io.mcpcrew.crew.metrics.Rows;
import io.mcpcrew.crew.metrics.TenantPolicy;
import io.mcpcrew.crew.redis.KeyedCall;
import io.mcpcrew.crew.redis.PipelineReplies;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.validation.Names;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The stream gauges read from Redis: every stream of the registry ({@link StreamRegistry}, {@code SMEMBERS}: one
 * round trip), then for each {@code XLEN}, {@code XINFO GROUPS} and the {@code XLEN} of its dead letters in one
 * pipeline per node (one round trip per node), whatever the number of streams. Series: the {@code max-tenants}
 * tenants with the most undelivered and unacknowledged entries (lag + pending) each get their
 * {@code max-names-per-tenant} busiest streams (and as many groups per stream), the rest summed as {@code _other}.
 */
final class StreamGauges implements RedisReader {
    private final RedisManager redis;
    private final int maxTenants;
    private final int maxNames;
    private final Rows length;
    private final Rows dead;
    private final Rows lag;
    private final Rows pending;
    private final Rows count;

    StreamGauges(RedisManager redis, MeterRegistry r) {
        this.redis = redis;
        this.maxTenants = redis.metrics().settings().maxTenants();
        this.maxNames = Math.max(1, redis.metrics().settings().maxNamesPerTenant());
        length = Rows.gauge(r, "crew.events.stream.length", "entries in the stream", null, "tenant", "stream");
        dead = Rows.gauge(r, "crew.events.stream.dead.letters", "entries in the stream's dead-letter stream", null,
                "tenant", "stream");
        lag = Rows.gauge(r, "crew.events.group.lag", "entries not yet delivered to the consumer group", null, "tenant",
                "stream", "group");
        pending = Rows.gauge(r, "crew.events.group.pending", "entries delivered to the group and not acknowledged",
                null, "tenant", "stream", "group");
        count = Rows.gauge(r, "crew.events.streams", "streams in the registry", null);
    }

    private record Group(String name, long lag, long pending) {
    }

    private record Stream(String tenant, String name, long length, long dead, List<Group> groups) {
        long work() {
            return groups.stream().mapToLong(g -> g.lag + g.pending).sum();
        }
    }

    @Override
    public void read(RedisReads reads) {
        String registry = StreamRegistry.key(redis.config().keyPrefix());
        Set<String> members = reads.execute(j -> j.smembers(registry));
        reads.registryRead(registry, !members.isEmpty());
        List<String[]> refs = new ArrayList<>();
        List<KeyedCall> calls = new ArrayList<>();
        for (String m : members) {
            int slash = m.indexOf('/');
            if (slash <= 0 || !Names.isValid(m.substring(0, slash)) || !Names.isValid(m.substring(slash + 1))) {
                continue;
            }
            String tenant = m.substring(0, slash);
            String stream = m.substring(slash + 1);
            var t = redis.forTenant(tenant);
            String key = StreamKeys.stream(t, stream);
            String deadKey = StreamKeys.dead(t, stream);
            refs.add(new String[] {tenant, stream});
            calls.add(KeyedCall.of(key, p -> p.xlen(key)));
            calls.add(KeyedCall.of(key, p -> p.xinfoGroups(key)));
            calls.add(KeyedCall.of(deadKey, p -> p.xlen(deadKey)));
        }
        PipelineReplies r = reads.pipeline(calls);
        Map<String, List<Stream>> byTenant = new HashMap<>();
        for (int i = 0; i < refs.size(); i++) {
            List<Group> groups = new ArrayList<>();
            if (r.ok(3 * i + 1) instanceof List<?> gs) {
                for (Object o : gs) {
                    if (o instanceof StreamGroupInfo g) {
                        Object l = g.getGroupInfo().get("lag");
                        groups.add(new Group(g.getName(), l instanceof Long n ? n : 0, g.getPending()));
                    }
                }
            }
            Stream s = new Stream(refs.get(i)[0], refs.get(i)[1], num(r.ok(3 * i)), num(r.ok(3 * i + 2)), groups);
            byTenant.computeIfAbsent(s.tenant, k -> new ArrayList<>()).add(s);
        }
        publish(byTenant, refs.size());
    }

    private static long num(Object o) {
        return o instanceof Long n ? n : 0;
    }

    private void publish(Map<String, List<Stream>> byTenant, int streams) {
        Map<String, Long> work = new HashMap<>();
        byTenant.forEach((t, ss) -> work.put(t, ss.stream().mapToLong(s -> s.work() * 4 + s.length).sum()));
        List<String> tenants = new ArrayList<>(byTenant.keySet());
        tenants.sort(Comparator.<String>comparingLong(work::get).reversed().thenComparing(Comparator.naturalOrder()));
        Rows.Batch bl = length.batch();
        Rows.Batch bd = dead.batch();
        Rows.Batch bg = lag.batch();
        Rows.Batch bp = pending.batch();
        for (int ti = 0; ti < tenants.size(); ti++) {
            List<Stream> ss = byTenant.get(tenants.get(ti));
            ss.sort(Comparator.comparingLong(Stream::work).reversed().thenComparing(Stream::name));
            boolean ownTenant = ti < maxTenants;
            for (int si = 0; si < ss.size(); si++) {
                Stream s = ss.get(si);
                boolean ownStream = ownTenant && si < maxNames;
                String tl = ownTenant ? s.tenant : TenantPolicy.OTHER;
                String sl = ownStream ? s.name : TenantPolicy.OTHER;
                bl.add(s.length, tl, sl);
                bd.add(s.dead, tl, sl);
                for (int gi = 0; gi < s.groups.size(); gi++) {
                    Group g = s.groups.get(gi);
                    String gl = ownStream && gi < maxNames ? g.name : TenantPolicy.OTHER;
                    bg.add(g.lag, tl, sl, gl);
                    bp.add(g.pending, tl, sl, gl);
                }
            }
        }
        bl.publish();
        bd.publish();
        bg.publish();
        bp.publish();
        count.batch().set(streams).publish();
    }
}
