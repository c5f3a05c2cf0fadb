package io.mcpcrew.crew.topology;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/**
 * The checks of a scenario's numbers, asserted in every run. Every failover: no 5xx but 503 with {@code Retry-After},
 * no event stored twice, readiness answering within the balancer's client timeout ({@link ReadinessWatch#TIMEOUT_MS})
 * and back within 10 s, nothing acknowledged lost, no task completed twice, no 404 for data that exists. For
 * {@code SENTINEL FAILOVER} the write checks hold with the durability opt-in ({@link SentinelGroup#durability()});
 * without it the scenario only reports what was lost.
 */
final class Expectations {
    static final long READY_WITHIN_MS = 10_000;

    private Expectations() {
    }

    /**
     * A master's {@code kill -9} (the Sentinels' master, or a Cluster master), the killed server started again: readiness
     * answering within its bound and back within 10 s, nothing acknowledged lost, no task completed twice, no 404 for
     * existing data.
     */
    static void masterKilled(ScenarioResult r) {
        assertAll(r.name(), masterKilledChecks(r));
    }

    /**
     * {@code kill -9} of one Cluster master: as {@link #masterKilled}, and no 503 for data outside its slots (the
     * other masters' data is served throughout).
     */
    static void clusterMasterKilled(ScenarioResult r) {
        List<Executable> checks = masterKilledChecks(r);
        checks.add(() -> assertEquals(0, r.unavailableOutside(), "calls for data on the healthy masters answered "
                + "503: one master's failover must not make the others unavailable"));
        assertAll(r.name(), checks);
    }

    private static List<Executable> masterKilledChecks(ScenarioResult r) {
        List<Executable> checks = always(r);
        checks.add(readinessWithinBound(r));
        checks.add(readyWithin10s(r));
        checks.addAll(nothingLost(r));
        checks.addAll(completedOnce(r));
        checks.add(noNotFound(r));
        return checks;
    }

    /**
     * {@code SENTINEL FAILOVER}: readiness within its bound and back within 10 s; with {@code durability} also nothing
     * acknowledged lost, no task completed twice and no 404 for existing data (without it the report says what a
     * failover lost).
     */
    static void failoverCommand(ScenarioResult r, boolean durability) {
        List<Executable> checks = always(r);
        checks.add(readinessWithinBound(r));
        checks.add(readyWithin10s(r));
        if (durability) {
            checks.addAll(nothingLost(r));
            checks.addAll(completedOnce(r));
            checks.add(noNotFound(r));
        }
        assertAll(r.name(), checks);
    }

    /** A node killed or restarted under load: nothing lost, no 404, the nodes that serve stay ready. */
    static void nodeFault(ScenarioResult r) {
        String table = Report.table(r);
        List<Executable> checks = always(r);
        checks.add(readinessWithinBound(r));
        checks.addAll(nothingLost(r));
        checks.addAll(completedOnce(r));
        checks.add(noNotFound(r));
        checks.add(() -> assertEquals(0, r.readinessNotReady(), () -> "a node in rotation not ready\n" + table));
        assertAll(r.name(), checks);
    }

    private static Executable noNotFound(ScenarioResult r) {
        return () -> assertEquals(0, r.notFoundForExisting(), () -> "404 for existing data\n" + Report.table(r));
    }

    /** Every scenario: no 5xx but 503 with Retry-After, no event stored twice. */
    private static List<Executable> always(ScenarioResult r) {
        String table = Report.table(r);
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(0, r.serverErrors(), () -> "5xx other than 503 with Retry-After\n" + table));
        checks.add(() -> assertEquals(0, r.findings().eventsDuplicated(), () -> "events stored twice\n" + table));
        return checks;
    }

    private static Executable readinessWithinBound(ScenarioResult r) {
        return () -> assertEquals(0, r.readinessTimeouts(),
                () -> "readiness did not answer within " + ReadinessWatch.TIMEOUT_MS + " ms\n" + Report.table(r));
    }

    private static Executable readyWithin10s(ScenarioResult r) {
        return () -> assertTrue(r.toReadyMillis() >= 0 && r.toReadyMillis() <= READY_WITHIN_MS,
                () -> "readiness not back within 10 s\n" + Report.table(r));
    }

    private static List<Executable> nothingLost(ScenarioResult r) {
        String table = Report.table(r);
        Verifier.Findings f = r.findings();
        return new ArrayList<>(List.of(
                () -> assertEquals(0, f.tasksLost(), () -> "acknowledged tasks lost\n" + table),
                () -> assertEquals(0, f.eventsLost(), () -> "acknowledged events lost\n" + table),
                () -> assertEquals(0, f.sessionsMissing(), () -> "acknowledged sessions missing\n" + table),
                () -> assertEquals(0, f.sessionsStale(), () -> "acknowledged session updates lost\n" + table),
                () -> assertEquals(0, f.tasksUnfinished(), () -> "acknowledged tasks never finished\n" + table)));
    }

    private static List<Executable> completedOnce(ScenarioResult r) {
        String table = Report.table(r);
        Verifier.Findings f = r.findings();
        return new ArrayList<>(List.of(
                () -> assertEquals(0, f.tasksCompletedTwice(), () -> "tasks completed twice\n" + table),
                () -> assertTrue(f.completionsForgotten() <= 0,
                        () -> "completions acknowledged to a node and then forgotten by Redis\n" + table)));
    }
}
