package io.mcpcrew.crew.memory;

import io.mcpcrew.crew.config.RedisMode;
import io.mcpcrew.crew.redis.KeyspaceScan;
import io.mcpcrew.crew.redis.MasterNodes;
import io.mcpcrew.crew.redis.RedisManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * {@link MemoryEstimator} on Redis, in two passes over the masters ({@link MasterNodes}). First a bounded
 * {@link KeyspaceScan}: each key is given its owner ({@link KeyOwner}), counted, and offered to its component's
 * reservoir (a uniform random sample of the component's scanned keys, at most {@code samples} keys each). Then the
 * sample budget is split evenly over the components (one with fewer keys in its reservoir leaves the rest to the
 * others), and per master one pipeline per {@value #PIPELINE} measured keys runs {@code MEMORY USAGE <key> SAMPLES n},
 * after {@code INFO memory}. Memory held while it runs: the key counts per (tenant, component) and master, and the
 * reservoirs (at most {@value #MAX_STRATA} × {@code samples} key names). The arithmetic is in {@link MemoryEstimate}.
 */
@ApplicationScoped
public class RedisMemoryEstimator implements MemoryEstimator {
    /** Measured keys per pipeline. */
    static final int PIPELINE = 1000;
    /** The most components sampled apart; keys of further ones are sampled together under {@value KeyOwner#OTHER}. */
    static final int MAX_STRATA = 64;

    private RedisManager redis;

    /** For the CDI proxy. */
    protected RedisMemoryEstimator() {
    }

    @Inject
    public RedisMemoryEstimator(RedisManager redis) {
        this.redis = redis;
    }

    /** A scanned key kept for measuring. */
    private record Sampled(String node, String key, KeyOwner owner) {
    }

    /** A uniform random sample of a stream of keys (Algorithm R). */
    private static final class Reservoir {
        final int capacity;
        final List<Sampled> items = new ArrayList<>();
        long seen;

        Reservoir(int capacity) {
            this.capacity = capacity;
        }

        void offer(Sampled s, Random random) {
            seen++;
            if (items.size() < capacity) {
                items.add(s);
            } else {
                long j = (long) (random.nextDouble() * seen);
                if (j < capacity) {
                    items.set((int) j, s);
                }
            }
        }
    }

    /** Running mean and variance of sizes (Welford). */
    static final class Sizes {
        long n;
        double mean;
        double m2;

        void add(double x) {
            n++;
            double d = x - mean;
            mean += d / n;
            m2 += d * (x - mean);
        }

        double sd() {
            return n < 2 ? 0 : Math.sqrt(m2 / (n - 1));
        }
    }

    @Override
    public MemoryEstimate estimate(EstimateRequest request) {
        long started = System.nanoTime();
        String prefix = redis.config().keyPrefix();
        String only = request.tenant() == null ? null : prefix + ":" + request.tenant() + ":";
        Random random = ThreadLocalRandom.current();
        Map<String, Map<KeyOwner, long[]>> countsByNode = new HashMap<>();
        Map<String, Reservoir> strata = new HashMap<>();
        KeyspaceScan.Result scan = KeyspaceScan.run(redis, request.scan(), (node, keys) -> {
            Map<KeyOwner, long[]> counts = countsByNode.computeIfAbsent(node, n -> new HashMap<>());
            for (String key : keys) {
                if (only != null && !key.startsWith(only)) {
                    continue;
                }
                KeyOwner owner = KeyOwner.of(prefix, key);
                counts.computeIfAbsent(owner, o -> new long[1])[0]++;
                String stratum = stratum(owner);
                if (!strata.containsKey(stratum) && strata.size() >= MAX_STRATA) {
                    stratum = KeyOwner.OTHER;
                }
                strata.computeIfAbsent(stratum, s -> new Reservoir(request.samples()))
                        .offer(new Sampled(node, key, owner), random);
            }
        });

        // the keys to measure: the budget split evenly over the components, each a uniform sample of its keys
        Map<String, List<Sampled>> toMeasure = new HashMap<>();
        List<Reservoir> bySize = new ArrayList<>(strata.values());
        bySize.sort(Comparator.comparingInt(r -> r.items.size()));
        long budget = request.samples();
        for (int i = 0; i < bySize.size(); i++) {
            Reservoir r = bySize.get(i);
            int take = (int) Math.min(r.items.size(), budget / (bySize.size() - i));
            Collections.shuffle(r.items, random);
            for (Sampled s : r.items.subList(0, take)) {
                toMeasure.computeIfAbsent(s.node(), n -> new ArrayList<>()).add(s);
            }
            budget -= take;
        }
        strata.clear();

        Map<KeyOwner, Sizes> groupSizes = new HashMap<>();
        Map<String, Sizes> stratumSizes = new HashMap<>();
        long[] vanished = {0};
        int[] pipelines = {0};
        List<MemoryEstimate.NodeMemory> nodes = new ArrayList<>();
        Map<String, KeyspaceScan.NodeScan> walks = new HashMap<>();
        scan.nodes().forEach(n -> walks.put(n.node(), n));
        redis.execute(client -> {
            for (MasterNodes.Node master : MasterNodes.masters(client)) {
                master.call((node, j) -> {
                    long[] info = memoryInfo(j);
                    List<Sampled> mine = toMeasure.getOrDefault(node, List.of());
                    for (int from = 0; from < mine.size(); from += PIPELINE) {
                        List<Sampled> batch = mine.subList(from, Math.min(mine.size(), from + PIPELINE));
                        List<Long> sizes = measure(j, batch, request.usageSamples());
                        pipelines[0]++;
                        for (int i = 0; i < batch.size(); i++) {
                            Long bytes = sizes.get(i);
                            if (bytes == null) {
                                vanished[0]++;
                                continue;
                            }
                            KeyOwner owner = batch.get(i).owner();
                            groupSizes.computeIfAbsent(owner, o -> new Sizes()).add(bytes);
                            stratumSizes.computeIfAbsent(stratum(owner), s -> new Sizes()).add(bytes);
                        }
                    }
                    KeyspaceScan.NodeScan walk = walks.get(node);
                    nodes.add(new MemoryEstimate.NodeMemory(node, walk == null ? 0 : walk.dbSize(),
                            walk == null ? 0 : walk.keysScanned(), walk == null ? 0 : walk.calls(),
                            walk != null && walk.complete(), info[0], info[1]));
                    return null;
                });
            }
            return null;
        });

        // key counts per (tenant, component), extrapolated by each master's weight
        Map<KeyOwner, Double> keys = new HashMap<>();
        for (KeyspaceScan.NodeScan n : scan.nodes()) {
            double w = n.weight();
            countsByNode.getOrDefault(n.node(), Map.of()).forEach((owner, c) -> keys.merge(owner, c[0] * w, Double::sum));
        }
        Estimates estimates = new Estimates(keys, groupSizes, stratumSizes);
        boolean cluster = redis.config().mode() == RedisMode.CLUSTER;
        int roundTrips = scan.roundTrips(cluster) + (cluster ? 1 : 0) + nodes.size() + pipelines[0];
        long samples = groupSizes.values().stream().mapToLong(s -> s.n).sum();
        return estimates.build(request, scan, new MemoryEstimate.Sampling(samples, request.samples(), vanished[0],
                request.usageSamples()), new MemoryEstimate.Cost(roundTrips, (System.nanoTime() - started) / 1_000_000),
                nodes);
    }

    /** The sample a key's size is estimated from: its component, apart for system keys and keys outside the layout. */
    static String stratum(KeyOwner owner) {
        if (KeyOwner.SYSTEM.equals(owner.tenant())) {
            return KeyOwner.SYSTEM + "/" + owner.component();
        }
        return KeyOwner.OUTSIDE.equals(owner.tenant()) ? KeyOwner.OUTSIDE : owner.component();
    }

    /** {@code used_memory} and {@code used_memory_dataset} of {@code INFO memory} (0 when absent). */
    private static long[] memoryInfo(Jedis j) {
        long used = 0;
        long dataset = 0;
        for (String line : j.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                used = parse(line.substring("used_memory:".length()));
            } else if (line.startsWith("used_memory_dataset:")) {
                dataset = parse(line.substring("used_memory_dataset:".length()));
            }
        }
        return new long[] {used, dataset};
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code MEMORY USAGE} of each key in one pipeline; null for a key that is gone (or no longer on this node). */
    private static List<Long> measure(Jedis j, List<Sampled> batch, int usageSamples) {
        List<Response<Long>> rs = new ArrayList<>(batch.size());
        try (Pipeline p = j.pipelined()) {
            for (Sampled s : batch) {
                rs.add(p.memoryUsage(s.key(), usageSamples));
            }
            p.sync();
        }
        List<Long> out = new ArrayList<>(rs.size());
        for (Response<Long> r : rs) {
            Long v;
            try {
                v = r.get();
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                v = null; // MOVED: the slot left this master meanwhile
            }
            out.add(v);
        }
        return out;
    }

    /** The arithmetic of {@link MemoryEstimate}: shares from key counts and measured sizes. */
    static final class Estimates {
        private final Map<KeyOwner, Double> keys;
        private final Map<KeyOwner, Sizes> groupSizes;
        private final Map<String, Sizes> stratumSizes;

        Estimates(Map<KeyOwner, Double> keys, Map<KeyOwner, Sizes> groupSizes, Map<String, Sizes> stratumSizes) {
            this.keys = keys;
            this.groupSizes = groupSizes;
            this.stratumSizes = stratumSizes;
        }

        /** bytes, variance, keys, samples of one (tenant, component). */
        double[] group(KeyOwner owner) {
            double n = keys.getOrDefault(owner, 0.0);
            Sizes own = groupSizes.get(owner);
            Sizes comp = stratumSizes.get(stratum(owner));
            long sampled = own == null ? 0 : own.n;
            double mean = sampled > 0 ? own.mean : comp != null ? comp.mean : 0;
            double sd = sampled >= 2 ? own.sd() : comp != null ? comp.sd() : 0;
            double fpc = n > 0 ? Math.sqrt(Math.max(0, 1 - sampled / n)) : 0;
            double se = n * sd / Math.sqrt(Math.max(1, sampled)) * fpc;
            return new double[] {n * mean, se * se, n, sampled};
        }

        MemoryEstimate build(EstimateRequest request, KeyspaceScan.Result scan, MemoryEstimate.Sampling sampling,
                MemoryEstimate.Cost cost, List<MemoryEstimate.NodeMemory> nodes) {
            Map<String, double[]> components = new HashMap<>();
            Map<String, Map<String, double[]>> tenants = new HashMap<>();
            double[] total = new double[4];
            for (KeyOwner owner : keys.keySet()) {
                double[] g = group(owner);
                add(total, g);
                add(components.computeIfAbsent(stratum(owner), c -> new double[4]), g);
                if (!KeyOwner.OUTSIDE.equals(owner.tenant())) {
                    add(tenants.computeIfAbsent(owner.tenant(), t -> new HashMap<>())
                            .computeIfAbsent(owner.component(), c -> new double[4]), g);
                }
            }
            List<MemoryEstimate.TenantShare> shares = new ArrayList<>();
            MemoryEstimate.TenantShare system = tenantShare(KeyOwner.SYSTEM,
                    tenants.getOrDefault(KeyOwner.SYSTEM, Map.of()));
            tenants.forEach((t, parts) -> {
                if (!KeyOwner.SYSTEM.equals(t)) {
                    shares.add(tenantShare(t, parts));
                }
            });
            shares.sort(Comparator.comparingLong(MemoryEstimate.TenantShare::bytes).reversed()
                    .thenComparing(MemoryEstimate.TenantShare::tenant));
            double[] rest = new double[4];
            for (MemoryEstimate.TenantShare s : shares.subList(Math.min(shares.size(), request.top()), shares.size())) {
                add(rest, new double[] {s.bytes(), (double) s.standardError() * s.standardError(), s.keys(), s.samples()});
            }
            int others = Math.max(0, shares.size() - request.top());
            List<MemoryEstimate.Share> componentShares = shares(components);
            MemoryEstimate.Share outside = share(KeyOwner.OUTSIDE, components.getOrDefault(KeyOwner.OUTSIDE,
                    new double[4]));
            return new MemoryEstimate(Instant.now(), request.tenant(),
                    new MemoryEstimate.Scan(scan.complete(), scan.coverage(), scan.keysScanned(), scan.dbSize(),
                            scan.calls(), request.scan().maxCalls(), request.scan().count()),
                    sampling, cost, share("total", total), componentShares,
                    shares.subList(0, Math.min(shares.size(), request.top())), share(Integer.toString(others), rest),
                    system, outside, nodes);
        }

        private static MemoryEstimate.TenantShare tenantShare(String tenant, Map<String, double[]> parts) {
            double[] sum = new double[4];
            parts.values().forEach(p -> add(sum, p));
            return new MemoryEstimate.TenantShare(tenant, Math.round(sum[2]), Math.round(sum[0]),
                    Math.round(Math.sqrt(sum[1])), Math.round(sum[3]), shares(parts));
        }

        private static List<MemoryEstimate.Share> shares(Map<String, double[]> parts) {
            List<MemoryEstimate.Share> out = new ArrayList<>();
            parts.forEach((name, p) -> out.add(share(name, p)));
            out.sort(Comparator.comparingLong(MemoryEstimate.Share::bytes).reversed()
                    .thenComparing(MemoryEstimate.Share::name));
            return out;
        }

        private static MemoryEstimate.Share share(String name, double[] p) {
            return new MemoryEstimate.Share(name, Math.round(p[2]), Math.round(p[0]), Math.round(Math.sqrt(p[1])),
                    Math.round(p[3]));
        }

        private static void add(double[] into, double[] g) {
            for (int i = 0; i < 4; i++) {
                into[i] += g[i];
            }
        }
    }
}
