package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.topology.Ledger.SessionTrack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * After a scenario, reads Redis directly (the key layout of docs/wire-format) and compares it with the ledger: every
 * acknowledged task, event and session, each task's completions, each event's copies.
 */
final class Verifier {
    private static final Pattern MARKER = Pattern.compile("\"m\"\\s*:\\s*\"([^\"]+)\"");
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "DEAD", "CANCELLED");

    /** What Redis holds compared with what was acknowledged; {@code examples} names a few ids of each finding. */
    record Findings(int tasksAcked, int tasksLost, int tasksUnfinished, int tasksDead, int tasksCompletedTwice,
            int completionsAnnouncedAgain, int tasksRerun, long completionsForgotten, int eventsAcked, int eventsLost, int eventsDuplicated,
            int sessionsAcked, int sessionsMissing, int sessionsStale, int unknownOutcomes, List<String> examples) {
    }

    private Verifier() {
    }

    static String taskKey(String tenant, String queue, String id) {
        return Scenario.PREFIX + ":" + tenant + ":tasks:{" + tenant + "." + queue + "}:task:" + id;
    }

    static String metaKey(String tenant, String queue) {
        return Scenario.PREFIX + ":" + tenant + ":tasks:{" + tenant + "." + queue + "}:meta";
    }

    static String streamKey(String tenant, String stream) {
        return Scenario.PREFIX + ":" + tenant + ":events:{" + tenant + "." + stream + "}";
    }

    static String sessionKey(String tenant, SessionTrack s) {
        return Scenario.PREFIX + ":" + tenant + ":sessions:{" + tenant + "." + s.user() + "}:session:" + s.id;
    }

    /** Whether every acknowledged task is finished (SUCCEEDED, DEAD, CANCELLED) or gone: nothing more will change. */
    static boolean tasksSettled(UnifiedJedis redis, String tenant, Ledger ledger) {
        for (Map.Entry<String, String> t : ledger.tasks.entrySet()) {
            String state = redis.hget(taskKey(tenant, t.getValue(), t.getKey()), "state");
            if (state != null && !FINAL.contains(state)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares. {@code succeededByNodes}: the attempts the nodes' workers saw acknowledged as succeeded (their
     * metrics), or negative when a node restarted during the scenario (its counters started again).
     */
    static Findings verify(UnifiedJedis redis, String tenant, Ledger ledger, CompletionTail tail, double succeededByNodes) {
        List<String> examples = new ArrayList<>();
        int lost = 0;
        int unfinished = 0;
        int dead = 0;
        int rerun = 0;
        for (Map.Entry<String, String> t : ledger.tasks.entrySet()) {
            Map<String, String> rec = redis.hgetAll(taskKey(tenant, t.getValue(), t.getKey()));
            if (rec.isEmpty() || rec.get("state") == null) {
                lost++;
                example(examples, "task lost", t.getValue() + "/" + t.getKey());
                continue;
            }
            String state = rec.get("state");
            if (!FINAL.contains(state)) {
                unfinished++;
                example(examples, "task unfinished", t.getKey() + " " + state);
            } else if (state.equals("DEAD")) {
                dead++;
                example(examples, "task dead", t.getKey() + ": " + rec.get("lastError"));
            }
            if (Integer.parseInt(rec.getOrDefault("attempts", "0")) > 1) {
                rerun++;
            }
        }
        tail.finalRead(redis);
        int twice = 0;
        for (Map.Entry<String, Integer> c : tail.completionsPerTask().entrySet()) {
            if (c.getValue() > 1) {
                twice++;
                example(examples, "task completed twice", c.getKey() + " (" + c.getValue() + " times)");
            }
        }
        long forgotten = -1;
        if (succeededByNodes >= 0) {
            long stored = 0;
            for (int q = 0; q < MixedLoad.QUEUES; q++) {
                String n = redis.hget(metaKey(tenant, "q" + q), "succeeded");
                stored += n == null ? 0 : Long.parseLong(n);
            }
            forgotten = Math.round(succeededByNodes) - stored;
        }

        Map<String, Integer> copies = new HashMap<>();
        for (int s = 0; s < MixedLoad.STREAMS; s++) {
            String from = "-";
            while (true) {
                List<StreamEntry> page = redis.xrange(streamKey(tenant, "s" + s), from, "+", 1000);
                for (StreamEntry e : page) {
                    Matcher m = MARKER.matcher(e.getFields().getOrDefault("data", ""));
                    if (m.find()) {
                        copies.merge(m.group(1), 1, Integer::sum);
                    }
                }
                if (page.size() < 1000) {
                    break;
                }
                from = "(" + page.get(page.size() - 1).getID();
            }
        }
        int eventsLost = 0;
        for (String marker : ledger.events.keySet()) {
            if (!copies.containsKey(marker)) {
                eventsLost++;
                example(examples, "event lost", marker);
            }
        }
        int duplicated = 0;
        for (Map.Entry<String, Integer> c : copies.entrySet()) {
            if (c.getValue() > 1) {
                duplicated++;
                example(examples, "event duplicated", c.getKey() + " (" + c.getValue() + " times)");
            }
        }

        int missing = 0;
        int stale = 0;
        for (SessionTrack s : ledger.sessions.values()) {
            String key = sessionKey(tenant, s);
            if (redis.hget(key, "userId") == null) {
                missing++;
                example(examples, "session missing", s.id);
                continue;
            }
            String v = redis.hget(key, "d:v");
            int stored = v == null ? -1 : Integer.parseInt(v.trim());
            if (stored < s.acked || stored > s.sent) {
                stale++;
                example(examples, "session stale", s.id + " holds v=" + stored + ", acknowledged " + s.acked
                        + ", sent " + s.sent);
            }
        }
        int unknown = ledger.unknownTasks.size() + ledger.unknownEvents.size()
                + (int) ledger.calls.stream().filter(c -> c.unknownOutcome() && c.op() != Ledger.Op.TASK_ENQUEUE
                        && c.op() != Ledger.Op.EVENT_PUBLISH).count();
        return new Findings(ledger.tasks.size(), lost, unfinished, dead, twice, tail.announcedAgain(), rerun, forgotten,
                ledger.events.size(),
                eventsLost, duplicated, ledger.sessions.size(), missing, stale, unknown, List.copyOf(examples));
    }

    /** Keeps at most three examples of each kind. */
    private static void example(List<String> examples, String kind, String detail) {
        if (examples.stream().filter(e -> e.startsWith(kind + " ")).count() < 3) {
            examples.add(kind + " " + detail);
        }
    }
}
