package io.mcpcrew.crew.topology;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * What the load saw: every call (operation, node, when, how long, status) and every acknowledged write — task ids,
 * event markers, sessions with the last value acknowledged — plus the writes whose outcome is unknown (the client
 * timed out or the connection broke after the request went out).
 */
final class Ledger {
    /** Status of a call that reached no node, timed out, or broke after it was sent. */
    static final int NO_NODE = -1;
    static final int TIMED_OUT = -2;
    static final int BROKEN = -3;

    enum Op { TASK_ENQUEUE, TASK_READ, EVENT_PUBLISH, SESSION_CREATE, SESSION_UPDATE, SESSION_READ, LIMIT_CHECK }

    /** One call: {@code start} is a nanoTime; {@code retryAfter} whether the answer carried Retry-After. */
    record Call(Op op, int node, long start, long nanos, int status, boolean retryAfter, String tag) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** A 5xx that is not a 503 with Retry-After (the one server error the API may answer). */
        boolean serverError() {
            return status >= 500 && !(status == 503 && retryAfter);
        }

        boolean unknownOutcome() {
            return status == TIMED_OUT || status == BROKEN;
        }
    }

    /** A session one load thread owns: the value of {@code v} last acknowledged and the highest sent. */
    static final class SessionTrack {
        final String id;
        volatile int acked;
        volatile int sent;

        SessionTrack(String id) {
            this.id = id;
        }

        String user() {
            return id.substring(0, id.indexOf('.'));
        }
    }

    final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    /** The first answers that were neither 2xx nor a 503 with Retry-After: what, where, when, and the body. */
    final ConcurrentLinkedQueue<String> oddities = new ConcurrentLinkedQueue<>();
    /** When the fault was injected (nanoTime; 0 before). */
    volatile long faultAt;
    /** Acknowledged tasks: id → queue. */
    final Map<String, String> tasks = new ConcurrentHashMap<>();
    /** Tasks sent whose answer never came: marker → queue (they may exist; they may not be lost). */
    final Map<String, String> unknownTasks = new ConcurrentHashMap<>();
    /** Acknowledged events: marker → stream. */
    final Map<String, String> events = new ConcurrentHashMap<>();
    /** Events sent whose answer never came: marker → stream. */
    final Map<String, String> unknownEvents = new ConcurrentHashMap<>();
    /** Sessions whose creation was acknowledged: id → track. */
    final Map<String, SessionTrack> sessions = new ConcurrentHashMap<>();

    void record(Call c, String body) {
        calls.add(c);
        if (!c.ok() && !(c.status() == 503 && c.retryAfter()) && oddities.size() < 20) {
            String b = body == null ? "" : body.length() > 160 ? body.substring(0, 160) + "…" : body;
            long at = faultAt == 0 ? 0 : (c.start() - faultAt) / 1_000_000;
            oddities.add(c.op() + " " + c.tag() + " node " + c.node() + " " + c.status() + " at " + (at >= 0 ? "+" : "")
                    + at + " ms " + b);
        }
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** 404 answers to reads or updates of acknowledged sessions and tasks. */
    long notFoundForExisting() {
        return calls.stream().filter(c -> c.status() == 404 && (c.op() == Op.SESSION_UPDATE
                || c.op() == Op.SESSION_READ || c.op() == Op.TASK_READ)).count();
    }

    long serverErrors() {
        return calls.stream().filter(Call::serverError).count();
    }

    long unavailable() {
        return calls.stream().filter(c -> c.status() == 503 && c.retryAfter()).count();
    }

    /**
     * 503 answers to calls whose data lives outside the failed shard ({@code onFailedShard} tells by hash tag), or -1
     * when no shard failed.
     */
    long unavailableOutside(java.util.function.Predicate<String> onFailedShard) {
        if (onFailedShard == null) {
            return -1;
        }
        return calls.stream().filter(c -> c.status() == 503 && c.tag() != null && !onFailedShard.test(c.tag())).count();
    }

    /** Status → count, over every call (negative: no node, timed out, broken). */
    Map<Integer, Long> statuses() {
        return calls.stream().collect(Collectors.groupingBy(Call::status, java.util.TreeMap::new, Collectors.counting()));
    }
}
