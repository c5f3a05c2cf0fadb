package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.topology.Verifier.Findings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** One table per scenario, printed and written (all scenarios of the run so far) to {@code -Dtopology.report}. */
final class Report {
    private static final List<ScenarioResult> RESULTS = new ArrayList<>();

    private Report() {
    }

    static synchronized void add(ScenarioResult r) {
        RESULTS.add(r);
        String file = System.getProperty("topology.report");
        if (file == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("# Topology suite report\n\n")
                .append("3 Payara Micro nodes with the real WAR; load: ").append(MixedLoad.THREADS).append(" clients × ")
                .append(MixedLoad.RATE_PER_THREAD).append(" calls/s round robin (tasks, events, sessions, limiter); ")
                .append("fault after ").append(Scenario.WARMUP_MS / 1000).append(" s, load until ")
                .append(Scenario.TAIL_MS / 1000).append(" s after the fault's steps.\n");
        String extra = System.getProperty("topology.node-env", "");
        if (!extra.isBlank()) {
            sb.append("Node settings added: `").append(extra).append("`.\n");
        }
        for (ScenarioResult s : RESULTS) {
            sb.append('\n').append(table(s));
        }
        try {
            Path p = Path.of(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, sb.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    static String table(ScenarioResult r) {
        Findings f = r.findings();
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(r.topology()).append(": ").append(r.name()).append("\n\n")
                .append(r.fault()).append("\n\n")
                .append("| measure | value |\n|---|---|\n");
        row(sb, "load", String.format(Locale.ROOT, "%d calls in %.1f s, %d answered 2xx; %.0f ok calls/s before the fault",
                r.calls(), r.loadMillis() / 1000.0, r.ok(), r.baselineRate()));
        row(sb, "answers by status", r.statuses().entrySet().stream().map(e -> label(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        row(sb, "**5xx (other than 503 + Retry-After)**", String.valueOf(r.serverErrors()));
        row(sb, "503 with Retry-After", String.valueOf(r.unavailable()));
        row(sb, "**404 for existing sessions/tasks**", String.valueOf(r.notFoundForExisting()));
        if (r.unavailableOutside() >= 0) {
            row(sb, "**503 for data outside the killed master's slots**", String.valueOf(r.unavailableOutside()));
        }
        row(sb, "latency p99 / max", r.p99Millis() + " ms / " + r.maxMillis() + " ms");
        row(sb, "**acknowledged tasks lost**", f.tasksLost() + " of " + f.tasksAcked());
        row(sb, "**tasks completed twice** (two attempts succeeded; completion stream, read live)",
                String.valueOf(f.tasksCompletedTwice()));
        row(sb, "completions announced again (one attempt, its acknowledgement resent)",
                String.valueOf(f.completionsAnnouncedAgain()));
        row(sb, "completions Redis forgot (nodes' succeeded attempts − Redis' count)",
                f.completionsForgotten() < 0 ? "n/a (nodes restarted)" : String.valueOf(f.completionsForgotten()));
        row(sb, "tasks run more than once (attempts > 1)", String.valueOf(f.tasksRerun()));
        row(sb, "acknowledged tasks unfinished / dead", f.tasksUnfinished() + " / " + f.tasksDead());
        row(sb, "**acknowledged events lost**", f.eventsLost() + " of " + f.eventsAcked());
        row(sb, "**events duplicated**", String.valueOf(f.eventsDuplicated()));
        row(sb, "**sessions missing**", f.sessionsMissing() + " of " + f.sessionsAcked());
        row(sb, "sessions not holding their last acknowledged update", String.valueOf(f.sessionsStale()));
        row(sb, "writes with an unknown outcome (client timeout, broken connection)", String.valueOf(f.unknownOutcomes()));
        row(sb, "**time to ready** (every admitted node, after the fault)", millis(r.toReadyMillis()));
        row(sb, "time to full throughput (≥ 80% of before, every second after)", millis(r.toThroughputMillis()));
        row(sb, "readiness answers not 200 / timed out (> " + ReadinessWatch.TIMEOUT_MS + " ms) / slowest",
                r.readinessNotReady() + " / " + r.readinessTimeouts() + " / " + r.worstReadinessMillis() + " ms");
        if (!r.readinessDetail().isEmpty()) {
            row(sb, "readiness not 200", r.readinessDetail());
        }
        if (!r.oddities().isEmpty()) {
            row(sb, "first answers neither 2xx nor 503 + Retry-After", String.join("; ", r.oddities()));
        }
        if (!f.examples().isEmpty()) {
            row(sb, "examples", String.join("; ", f.examples()));
        }
        return sb.toString();
    }

    private static String label(int status) {
        switch (status) {
            case Ledger.NO_NODE:
                return "no node";
            case Ledger.TIMED_OUT:
                return "timed out";
            case Ledger.BROKEN:
                return "broken";
            default:
                return String.valueOf(status);
        }
    }

    private static String millis(long ms) {
        return ms < 0 ? "not within the scenario" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }
}
