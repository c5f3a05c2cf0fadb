package io.mcpcrew.crew.metrics;

import io.mcpcrew.crew.redis.KeyedCall;
import io.mcpcrew.crew.redis.PipelineReplies;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The Redis server's side ({@code INFO} of every node: memory, stats, clients, keyspace) as gauges and counters by
 * node, and the memory watch ({@link MemoryStatus}): a warning when the eviction policy is not {@code noeviction}
 * while task queues or event streams live in this Redis (a registry of them exists), and when a master's used memory
 * passes {@code redis.crew.memory.warn-share} of its {@code maxmemory}. Each warning is logged once when it starts
 * (WARNING) and once when it clears (INFO). Round trips: one per node for {@code INFO}; the registries of queues and
 * streams are those the other readers of the same read found ({@link RedisReads#registryRead}), else one
 * {@code EXISTS} pipeline (one round trip per node holding a registry key).
 */
final class RedisServerReader implements RedisReader {
    private static final Logger LOG = Logger.getLogger(RedisServerReader.class.getName());
    static final String EVICTION = "eviction-policy";
    static final String USED_SHARE = "used-share";

    private final double warnShare;
    private final List<String> workKeys;
    private final Rows used;
    private final Rows peak;
    private final Rows rss;
    private final Rows max;
    private final Rows share;
    private final Rows fragmentation;
    private final Rows policy;
    private final Rows warning;
    private final Rows evicted;
    private final Rows expired;
    private final Rows clients;
    private final Rows blocked;
    private final Rows processed;
    private final Rows opsPerSecond;
    private final Rows keys;
    private final Rows expires;
    private final Set<String> active = new HashSet<>();
    private volatile MemoryStatus status = MemoryStatus.unknown();

    /** @param workKeys keys whose existence means task queues or event streams live in this Redis (registries) */
    RedisServerReader(MeterRegistry registry, double warnShare, List<String> workKeys) {
        this.warnShare = warnShare;
        this.workKeys = workKeys;
        used = Rows.gauge(registry, "crew.redis.memory.used", "Redis used_memory", "bytes", "node");
        peak = Rows.gauge(registry, "crew.redis.memory.peak", "Redis used_memory_peak", "bytes", "node");
        rss = Rows.gauge(registry, "crew.redis.memory.rss", "Redis used_memory_rss", "bytes", "node");
        max = Rows.gauge(registry, "crew.redis.memory.max", "Redis maxmemory (0: no limit)", "bytes", "node");
        share = Rows.gauge(registry, "crew.redis.memory.used.share",
                "used_memory / maxmemory (only for nodes with a maxmemory)", null, "node");
        fragmentation = Rows.gauge(registry, "crew.redis.memory.fragmentation.ratio", "Redis mem_fragmentation_ratio",
                null, "node");
        policy = Rows.gauge(registry, "crew.redis.memory.policy", "1 for the node's maxmemory-policy", null, "node",
                "policy");
        warning = Rows.gauge(registry, "crew.redis.memory.warning",
                "1 while a memory warning holds for a master (reason eviction-policy or used-share), else 0", null,
                "node", "reason");
        evicted = Rows.counter(registry, "crew.redis.keys.evicted", "Redis evicted_keys", "node");
        expired = Rows.counter(registry, "crew.redis.keys.expired", "Redis expired_keys", "node");
        clients = Rows.gauge(registry, "crew.redis.clients.connected", "Redis connected_clients", null, "node");
        blocked = Rows.gauge(registry, "crew.redis.clients.blocked", "Redis blocked_clients", null, "node");
        processed = Rows.counter(registry, "crew.redis.commands.processed", "Redis total_commands_processed", "node");
        opsPerSecond = Rows.gauge(registry, "crew.redis.ops.per.second", "Redis instantaneous_ops_per_sec", null,
                "node");
        keys = Rows.gauge(registry, "crew.redis.keyspace.keys", "keys per database (INFO keyspace)", null, "node", "db");
        expires = Rows.gauge(registry, "crew.redis.keyspace.expires", "keys with a TTL per database (INFO keyspace)",
                null, "node", "db");
    }

    MemoryStatus status() {
        return status;
    }

    @Override
    public void read(RedisReads reads) {
        Map<String, String> infos = reads.serverInfo();
        boolean work = holdsWork(reads);
        Rows.Batch bUsed = used.batch();
        Rows.Batch bPeak = peak.batch();
        Rows.Batch bRss = rss.batch();
        Rows.Batch bMax = max.batch();
        Rows.Batch bShare = share.batch();
        Rows.Batch bFrag = fragmentation.batch();
        Rows.Batch bPolicy = policy.batch();
        Rows.Batch bWarning = warning.batch();
        Rows.Batch bEvicted = evicted.batch();
        Rows.Batch bExpired = expired.batch();
        Rows.Batch bClients = clients.batch();
        Rows.Batch bBlocked = blocked.batch();
        Rows.Batch bProcessed = processed.batch();
        Rows.Batch bOps = opsPerSecond.batch();
        Rows.Batch bKeys = keys.batch();
        Rows.Batch bExpires = expires.batch();
        List<MemoryStatus.Node> nodes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> now = new HashSet<>();
        for (Map.Entry<String, String> e : infos.entrySet()) {
            String node = e.getKey();
            Map<String, String> f = parse(e.getValue());
            MemoryStatus.Node n = new MemoryStatus.Node(node, f.getOrDefault("role", "master"), num(f, "used_memory"),
                    num(f, "used_memory_peak"), num(f, "maxmemory"), f.getOrDefault("maxmemory_policy", "unknown"),
                    dbl(f, "mem_fragmentation_ratio"));
            nodes.add(n);
            bUsed.set(n.used(), node);
            bPeak.set(n.peak(), node);
            bRss.set(num(f, "used_memory_rss"), node);
            bMax.set(n.max(), node);
            if (n.max() > 0) {
                bShare.set(n.share(), node);
            }
            bFrag.set(n.fragmentation(), node);
            bPolicy.set(1, node, n.policy());
            bEvicted.set(num(f, "evicted_keys"), node);
            bExpired.set(num(f, "expired_keys"), node);
            bClients.set(num(f, "connected_clients"), node);
            bBlocked.set(num(f, "blocked_clients"), node);
            bProcessed.set(num(f, "total_commands_processed"), node);
            bOps.set(num(f, "instantaneous_ops_per_sec"), node);
            for (Map.Entry<String, String> k : f.entrySet()) {
                if (k.getKey().matches("db\\d+")) {
                    bKeys.set(keyspace(k.getValue(), "keys"), node, k.getKey());
                    bExpires.set(keyspace(k.getValue(), "expires"), node, k.getKey());
                }
            }
            if (!n.master()) {
                continue;
            }
            String evictionWarning = work ? evictionWarning(n) : null;
            String shareWarning = shareWarning(n);
            bWarning.set(evictionWarning != null ? 1 : 0, node, EVICTION);
            bWarning.set(shareWarning != null ? 1 : 0, node, USED_SHARE);
            for (String[] w : new String[][] {{EVICTION, evictionWarning}, {USED_SHARE, shareWarning}}) {
                if (w[1] != null) {
                    warnings.add(w[1]);
                    now.add(node + "|" + w[0]);
                    if (!active.contains(node + "|" + w[0])) {
                        LOG.warning(w[1]);
                    }
                }
            }
        }
        for (String was : active) {
            if (!now.contains(was)) {
                LOG.info("Redis memory warning cleared: " + was.replace("|", " "));
            }
        }
        active.clear();
        active.addAll(now);
        for (Rows.Batch b : List.of(bUsed, bPeak, bRss, bMax, bShare, bFrag, bPolicy, bWarning, bEvicted, bExpired,
                bClients, bBlocked, bProcessed, bOps, bKeys, bExpires)) {
            b.publish();
        }
        status = new MemoryStatus(Instant.now(), nodes, warnings);
    }

    /** True if a registry of task queues or event streams exists: work lives in this Redis. */
    private boolean holdsWork(RedisReads reads) {
        List<KeyedCall> calls = new ArrayList<>();
        for (String k : workKeys) {
            java.util.Optional<Boolean> known = reads.registry(k);
            if (known.isPresent() && known.get()) {
                return true;
            }
            if (known.isEmpty()) {
                calls.add(KeyedCall.of(k, p -> p.exists(k)));
            }
        }
        if (calls.isEmpty()) {
            return false;
        }
        PipelineReplies r = reads.pipeline(calls);
        for (int i = 0; i < calls.size(); i++) {
            if (Boolean.TRUE.equals(r.ok(i))) {
                return true;
            }
        }
        return false;
    }

    private static String evictionWarning(MemoryStatus.Node n) {
        String p = n.policy().toLowerCase(Locale.ROOT);
        if (p.equals("noeviction") || p.equals("unknown")) {
            return null;
        }
        String atRisk = p.startsWith("allkeys")
                ? "any key, including task queues, unfinished tasks and event streams: work is lost when memory runs out"
                : "keys with a TTL (finished task records, idempotency keys, dead letters, sessions, cached embeddings, "
                        + "rate-limit windows) while task queues and event streams live here";
        return "Redis " + n.node() + " has maxmemory-policy " + n.policy() + ": it may evict " + atRisk
                + "; set maxmemory-policy noeviction (CONFIG SET maxmemory-policy noeviction, and in redis.conf)";
    }

    private String shareWarning(MemoryStatus.Node n) {
        if (warnShare <= 0 || n.max() <= 0 || n.share() < warnShare) {
            return null;
        }
        return String.format(Locale.ROOT, "Redis %s uses %.0f%% of its maxmemory (%d of %d bytes; warning at %.0f%%, "
                + "redis.crew.memory.warn-share): raise maxmemory or reduce what is kept (retention, TTLs) before writes "
                + "fail or keys are evicted", n.node(), n.share() * 100, n.used(), n.max(), warnShare * 100);
    }

    static Map<String, String> parse(String info) {
        Map<String, String> out = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    private static long num(Map<String, String> f, String key) {
        try {
            return Long.parseLong(f.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double dbl(Map<String, String> f, String key) {
        try {
            return Double.parseDouble(f.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A field of a keyspace line {@code keys=1,expires=0,avg_ttl=0}. */
    private static long keyspace(String line, String field) {
        for (String part : line.split(",")) {
            if (part.startsWith(field + "=")) {
                try {
                    return Long.parseLong(part.substring(field.length() + 1));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
