package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.topology.ReadinessWatch.Sample;
import io.mcpcrew.crew.topology.Verifier.Findings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import redis.clients.jedis.UnifiedJedis;

/**
 * One scenario: the mixed load starts on a tenant of its own, runs {@link #WARMUP_MS} ms, the fault is injected (the
 * call returns when the fault and the steps that follow it — a restart, a promotion — are done), the load goes on for
 * {@link #TAIL_MS} ms and stops; the topology is made whole again if the fault left it short of a replica (e.g.
 * Sentinel turning the old master into a replica), the suite waits until the nodes have written back what they buffered
 * and every acknowledged task is finished (at most {@link #SETTLE_MS} ms), then counts.
 */
final class Scenario {
    static final String PREFIX = "topo";
    static final long WARMUP_MS = 6_000;
    static final long TAIL_MS = 12_000;
    static final long SETTLE_MS = 45_000;
    static final Duration LOAD_LIMIT = Duration.ofSeconds(150);
    static final int MAX_CALLS = 40_000;
    private static final Logger LOG = Logger.getLogger(Scenario.class.getName());

    /** The fault: does it, waits for what follows it, and says what happened. */
    @FunctionalInterface
    interface Fault {
        String inject() throws Exception;
    }

    private Scenario() {
    }

    /**
     * Runs a scenario. {@code nodesRestart}: whether the fault restarts nodes (their metrics start again, so the
     * completions they counted cannot be compared with Redis).
     */
    static ScenarioResult run(String name, RedisTopology redis, Fleet fleet, ReadinessWatch watch, boolean nodesRestart,
            Fault fault, Runnable restore) throws Exception {
        LOG.info(() -> name + ": load starts on " + redis.describe());
        Ledger ledger = new Ledger();
        MixedLoad load = new MixedLoad(fleet, name, ledger, LOAD_LIMIT, MAX_CALLS);
        long start = System.nanoTime();
        String what;
        long faultAt;
        long loadEnd;
        try (CompletionTail tail = new CompletionTail(redis, name)) {
            load.start();
            RedisTools.sleep(WARMUP_MS);
            faultAt = System.nanoTime();
            ledger.faultAt = faultAt;
            try {
                what = fault.inject();
            } finally {
                RedisTools.sleep(TAIL_MS);
                load.stop();
                loadEnd = System.nanoTime();
            }
            LOG.info(() -> name + ": " + ledger.calls.size() + " calls; settling");
            restore.run();
            settle(redis, fleet, name, ledger);
            double succeeded = nodesRestart ? -1 : succeededByNodes(fleet, name);
            tail.close();
            Findings f;
            try (UnifiedJedis client = redis.client()) {
                f = Verifier.verify(client, name, ledger, tail, succeeded);
            }
            ScenarioResult r = result(name, redis.name(), what, ledger, watch.since(start), start, faultAt, loadEnd, f,
                    redis.failedShard());
            LOG.info(() -> Report.table(r));
            return r;
        }
    }

    /** Waits until no node has writes buffered and every acknowledged task is finished or gone, at most SETTLE_MS. */
    private static void settle(RedisTopology redis, Fleet fleet, String tenant, Ledger ledger) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        try (UnifiedJedis client = redis.client()) {
            while (System.nanoTime() < end) {
                try {
                    boolean buffered = fleet.nodes().stream().filter(MicroNode::admitted)
                            .anyMatch(n -> NodeMetrics.scrape(n).sum("crew_fallback_buffered", Map.of()) > 0);
                    if (!buffered && Verifier.tasksSettled(client, tenant, ledger)) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // a node or Redis still recovering
                }
                RedisTools.sleep(500);
            }
        }
        LOG.warning(() -> tenant + ": not settled within " + SETTLE_MS + " ms; counting what there is");
    }

    private static double succeededByNodes(Fleet fleet, String tenant) {
        double sum = 0;
        for (MicroNode n : fleet.nodes()) {
            sum += NodeMetrics.scrape(n).sum("crew_tasks_attempts_total", Map.of("tenant", tenant, "outcome", "succeeded"));
        }
        return sum;
    }

    static ScenarioResult result(String name, String topology, String what, Ledger ledger, List<Sample> samples,
            long start, long faultAt, long loadEnd, Findings f, java.util.function.Predicate<String> failedShard) {
        List<Ledger.Call> calls = ledger.calls();
        long ok = calls.stream().filter(Ledger.Call::ok).count();
        List<Long> latencies = calls.stream().filter(c -> c.status() != Ledger.NO_NODE).map(Ledger.Call::nanos).sorted()
                .collect(Collectors.toList());
        long p99 = latencies.isEmpty() ? 0 : latencies.get((int) Math.min(latencies.size() - 1, latencies.size() * 0.99));
        long max = latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1);

        // ok calls per second, by the second they were answered in
        int seconds = (int) TimeUnit.NANOSECONDS.toSeconds(loadEnd - start);
        long[] perSecond = new long[seconds + 1];
        for (Ledger.Call c : calls) {
            if (c.ok()) {
                int s = (int) TimeUnit.NANOSECONDS.toSeconds(c.start() + c.nanos() - start);
                if (s >= 0 && s <= seconds) {
                    perSecond[s]++;
                }
            }
        }
        int faultSecond = (int) TimeUnit.NANOSECONDS.toSeconds(faultAt - start);
        double baseline = 0;
        for (int s = 1; s < faultSecond; s++) {
            baseline += perSecond[s];
        }
        baseline = faultSecond > 1 ? baseline / (faultSecond - 1) : 0;
        long toThroughput = -1;
        for (int s = faultSecond; s < seconds; s++) { // the last, partial second is left out
            boolean allFull = true;
            for (int later = s; later < seconds; later++) {
                allFull &= perSecond[later] >= 0.8 * baseline;
            }
            if (allFull) {
                toThroughput = Math.max(0, TimeUnit.SECONDS.toMillis(s) - TimeUnit.NANOSECONDS.toMillis(faultAt - start));
                break;
            }
        }

        long toReady = 0;
        for (int node : samples.stream().map(Sample::node).distinct().collect(Collectors.toList())) {
            List<Sample> mine = new ArrayList<>(samples.stream().filter(x -> x.node() == node && x.askedAt() >= faultAt)
                    .sorted(Comparator.comparingLong(Sample::askedAt)).collect(Collectors.toList()));
            int lastDown = -1;
            for (int i = 0; i < mine.size(); i++) {
                if (!mine.get(i).ready()) {
                    lastDown = i;
                }
            }
            if (lastDown < 0) {
                continue;
            }
            if (lastDown == mine.size() - 1) {
                toReady = -1;
                break;
            }
            Sample up = mine.get(lastDown + 1);
            toReady = Math.max(toReady, TimeUnit.NANOSECONDS.toMillis(up.askedAt() + up.nanos() - faultAt));
        }
        long notReady = samples.stream().filter(x -> !x.ready()).count();
        long timeouts = samples.stream().filter(x -> x.status() == ReadinessWatch.TIMED_OUT).count();
        long worst = samples.stream().mapToLong(Sample::nanos).max().orElse(0);
        StringBuilder detail = new StringBuilder();
        for (int node : samples.stream().filter(x -> !x.ready()).map(Sample::node).distinct().sorted()
                .collect(Collectors.toList())) {
            List<Sample> down = samples.stream().filter(x -> x.node() == node && !x.ready()).collect(Collectors.toList());
            Sample first = down.get(0);
            Sample last = down.get(down.size() - 1);
            detail.append(detail.length() == 0 ? "" : "; ").append("node ").append(node).append(": ")
                    .append(down.size()).append(" from ").append(TimeUnit.NANOSECONDS.toMillis(first.askedAt() - faultAt))
                    .append(" ms to ").append(TimeUnit.NANOSECONDS.toMillis(last.askedAt() - faultAt))
                    .append(" ms after the fault, e.g. ").append(first.status()).append(' ')
                    .append(first.body() == null ? "" : first.body().replaceAll("\\s+", " "));
        }
        return new ScenarioResult(name, topology, what, TimeUnit.NANOSECONDS.toMillis(loadEnd - start), calls.size(), ok,
                ledger.statuses(), ledger.serverErrors(), ledger.unavailable(), ledger.notFoundForExisting(),
                ledger.unavailableOutside(failedShard),
                TimeUnit.NANOSECONDS.toMillis(p99), TimeUnit.NANOSECONDS.toMillis(max), baseline, toThroughput, toReady,
                notReady, timeouts, TimeUnit.NANOSECONDS.toMillis(worst), detail.toString(),
                List.copyOf(ledger.oddities), f);
    }
}
