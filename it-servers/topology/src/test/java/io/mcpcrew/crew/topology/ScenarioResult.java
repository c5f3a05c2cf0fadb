package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.topology.Verifier.Findings;
import java.util.List;
import java.util.Map;

/**
 * The numbers of one scenario. Times in milliseconds; -1 where a time was never reached (e.g. readiness still down
 * when the scenario ended).
 *
 * @param name          the scenario (also its tenant)
 * @param topology      {@code sentinel} or {@code cluster}
 * @param fault         what was done, and what the topology did (new master, restart times)
 * @param loadMillis    how long the load ran
 * @param calls         calls made; {@code ok} of them answered 2xx
 * @param statuses      status → count (negative: no node -1, timed out -2, broken connection -3)
 * @param serverErrors  5xx answers other than 503 with Retry-After
 * @param unavailable   503 answers with Retry-After
 * @param notFoundForExisting 404 answers to reads and updates of acknowledged sessions and tasks
 * @param unavailableOutside 503 answers to calls whose data is outside the killed Cluster master's slots (-1: no
 *                      shard failed)
 * @param p99Millis     99th percentile of call latency; {@code maxMillis} the slowest answer
 * @param baselineRate  ok calls a second before the fault
 * @param toThroughputMillis from the fault until every second had at least 80% of the baseline again
 * @param toReadyMillis from the fault until every admitted node answered ready again (0: none ever stopped)
 * @param readinessNotReady readiness answers other than 200 of admitted nodes; {@code readinessTimeouts} of them the
 *                      ones that did not come within the client's timeout; {@code worstReadinessMillis} the slowest
 * @param readinessDetail per node that was not ready after the fault: how often, from when to when, and why
 * @param oddities      the first answers that were neither 2xx nor 503 with Retry-After
 * @param findings      what Redis holds compared with what was acknowledged
 */
record ScenarioResult(String name, String topology, String fault, long loadMillis, long calls, long ok,
        Map<Integer, Long> statuses, long serverErrors, long unavailable, long notFoundForExisting, long unavailableOutside, long p99Millis,
        long maxMillis, double baselineRate, long toThroughputMillis, long toReadyMillis, long readinessNotReady,
        long readinessTimeouts, long worstReadinessMillis, String readinessDetail, List<String> oddities,
        Findings findings) {
}
