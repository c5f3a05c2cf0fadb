package io.mcpcrew.crew.tasks;

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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The task gauges read from Redis: every queue of the registry ({@code SMEMBERS}, one round trip) and then
 * {@code stats.lua} for each of them in one pipeline per node (one round trip per node: 2 in standalone and
 * Sentinel mode, 1 + the masters on a Cluster), whatever the number of queues. Series: the {@code max-tenants}
 * tenants with the most live tasks each get their {@code max-names-per-tenant} fullest queues, the rest of their
 * queues summed as {@code queue="_other"}; every other tenant is summed as {@code tenant="_other"}. The totals Redis
 * keeps per queue (succeeded, failed attempts, dead, cancelled, expired leases) are counters of those queues, and
 * summed over every queue as {@code crew.tasks.stored.events.all}.
 */
final class QueueGauges implements RedisReader {
    private static final String[] STATES = {"pending", "scheduled", "retry", "running", "dead", "unclaimed"};
    private static final String[] EVENTS = {"succeeded", "failed", "dead", "cancelled", "lease_expired"};

    private final RedisManager redis;
    private final int maxTenants;
    private final int maxQueues;
    private final long servedWindowMillis;
    private final Rows depth;
    private final Rows pending;
    private final Rows oldest;
    private final Rows paused;
    private final Rows events;
    private final Rows eventsAll;
    private final Rows queues;

    QueueGauges(RedisManager redis, MeterRegistry r, TaskQueueConfig config) {
        this.redis = redis;
        this.maxTenants = redis.metrics().settings().maxTenants();
        this.maxQueues = Math.max(1, redis.metrics().settings().maxNamesPerTenant());
        this.servedWindowMillis = config.servedWindow().toMillis();
        depth = Rows.gauge(r, "crew.tasks.depth", "tasks in Redis by state (pending, scheduled, retry = failed and "
                + "waiting for a retry, running, dead, unclaimed = pending with no worker serving their name)", null,
                "tenant", "queue", "state");
        pending = Rows.gauge(r, "crew.tasks.pending", "pending tasks by priority", null, "tenant", "queue", "priority");
        oldest = Rows.gauge(r, "crew.tasks.oldest.pending.age", "how long the oldest pending task has been due",
                "seconds", "tenant", "queue");
        paused = Rows.gauge(r, "crew.tasks.paused", "1 while the queue is paused", null, "tenant", "queue");
        events = Rows.counter(r, "crew.tasks.stored.events", "totals Redis keeps per queue (all nodes): succeeded, "
                + "failed attempts, dead-lettered, cancelled, lease_expired", "tenant", "queue", "event");
        eventsAll = Rows.counter(r, "crew.tasks.stored.events.all", "the totals Redis keeps, over every queue", "event");
        queues = Rows.gauge(r, "crew.tasks.queues", "queues in the registry", null);
    }

    @Override
    public void read(RedisReads reads) {
        String registry = TaskKeys.registryKey(redis.config().keyPrefix());
        Set<String> members = reads.execute(j -> j.smembers(registry));
        reads.registryRead(registry, !members.isEmpty());
        List<Ref> refs = new ArrayList<>();
        List<KeyedCall> calls = new ArrayList<>();
        for (String m : members) {
            int slash = m.indexOf('/');
            if (slash <= 0 || !Names.isValid(m.substring(0, slash)) || !Names.isValid(m.substring(slash + 1))) {
                continue;
            }
            String tenant = m.substring(0, slash);
            String queue = m.substring(slash + 1);
            TaskKeys k = new TaskKeys(redis.forTenant(tenant).keys(), queue);
            List<String> keys = k.queueKeys();
            List<String> args = List.of(k.taskPrefix, k.pendingPrefix);
            String sha = RedisTaskQueues.STATS.sha1();
            refs.add(new Ref(tenant, queue));
            calls.add(KeyedCall.script(keys.get(0), p -> p.evalsha(sha, keys, args), RedisTaskQueues.STATS));
        }
        PipelineReplies replies = reads.pipeline(calls);
        long now = System.currentTimeMillis();
        Map<String, List<QueueStats>> byTenant = new HashMap<>();
        for (int i = 0; i < refs.size(); i++) {
            Object r = replies.ok(i);
            if (r instanceof List<?> l) {
                @SuppressWarnings("unchecked")
                List<Object> reply = (List<Object>) l;
                QueueStats s = QueueStats.fromReply(refs.get(i).tenant(), refs.get(i).queue(), reply, now,
                        servedWindowMillis);
                byTenant.computeIfAbsent(s.tenant(), t -> new ArrayList<>()).add(s);
            }
        }
        publish(byTenant);
    }

    private static long live(QueueStats s) {
        return s.pending() + s.scheduled() + s.failedWaitingRetry() + s.running() + s.dead();
    }

    private void publish(Map<String, List<QueueStats>> byTenant) {
        List<String> tenants = new ArrayList<>(byTenant.keySet());
        Map<String, Long> totals = new HashMap<>();
        byTenant.forEach((t, qs) -> totals.put(t, qs.stream().mapToLong(QueueGauges::live).sum()));
        tenants.sort(Comparator.<String>comparingLong(totals::get).reversed().thenComparing(Comparator.naturalOrder()));
        Rows.Batch d = depth.batch();
        Rows.Batch p = pending.batch();
        Rows.Batch o = oldest.batch();
        Rows.Batch z = paused.batch();
        Rows.Batch e = events.batch();
        Rows.Batch all = eventsAll.batch();
        for (String ev : EVENTS) {
            all.set(0, ev);
        }
        int count = 0;
        for (int ti = 0; ti < tenants.size(); ti++) {
            String tenant = tenants.get(ti);
            List<QueueStats> qs = byTenant.get(tenant);
            qs.sort(Comparator.comparingLong(QueueGauges::live).reversed().thenComparing(QueueStats::queue));
            boolean ownTenant = ti < maxTenants;
            for (int qi = 0; qi < qs.size(); qi++) {
                QueueStats s = qs.get(qi);
                count++;
                long[] totalsOf = {s.succeededTotal(), s.failedAttemptsTotal(), s.deadTotal(), s.cancelledTotal(),
                    s.expiredLeasesTotal()};
                for (int k = 0; k < EVENTS.length; k++) {
                    all.add(totalsOf[k], EVENTS[k]);
                }
                boolean ownQueue = ownTenant && qi < maxQueues;
                String tl = ownTenant ? tenant : TenantPolicy.OTHER;
                String ql = ownQueue ? s.queue() : TenantPolicy.OTHER;
                long[] states = {s.pending(), s.scheduled(), s.failedWaitingRetry(), s.running(), s.dead(), s.unclaimed()};
                for (int k = 0; k < STATES.length; k++) {
                    d.add(states[k], tl, ql, STATES[k]);
                }
                for (Map.Entry<TaskPriority, Long> pr : s.pendingByPriority().entrySet()) {
                    p.add(pr.getValue(), tl, ql, pr.getKey().name().toLowerCase(Locale.ROOT));
                }
                o.max(s.oldestPendingAgeMillis() / 1000.0, tl, ql);
                if (ownQueue) {
                    z.set(s.paused() ? 1 : 0, tl, ql);
                    for (int k = 0; k < EVENTS.length; k++) {
                        e.set(totalsOf[k], tl, ql, EVENTS[k]);
                    }
                }
            }
        }
        d.publish();
        p.publish();
        o.publish();
        z.publish();
        e.publish();
        all.publish();
        queues.batch().set(count).publish();
    }

    private record Ref(String tenant, String queue) {
    }
}
