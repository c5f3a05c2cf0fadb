package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.paging.Cursors;
import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tasks of one queue by state, a page at a time: reads only, one script per page over the queue's keys (one hash
 * tag, so one Cluster slot), apart from the scripts that change a queue. PENDING tasks come from the pending LISTs
 * ({@code browse_pending.lua}: claim order, CRITICAL first, names in byte order, each list from its head); SCHEDULED
 * from the scheduled set (soonest first), FAILED (waiting retry) from the retry set (soonest retry first), RUNNING
 * from the running set (soonest lease expiry first), DEAD from the dead set (latest death first), all by
 * {@code browse_sorted.lua}. A page reads {@code limit + 1} index entries and at most {@code limit} records, besides
 * finding where the previous page ended (pending: an {@code LRANGE} of at most {@value #PENDING_WINDOW} × 2 + 1 ids
 * around its old place, rarely an {@code LPOS}; sorted: a {@code ZRANK}, or about log2(n) single-member reads);
 * nothing reads a whole queue. Cursors name the last task returned and its position.
 */
final class RedisTaskBrowser {
    private static final Logger LOG = Logger.getLogger(RedisTaskBrowser.class.getName());
    static final LuaScript BROWSE_PENDING = LuaScript.fromResource(RedisTaskBrowser.class, "browse_pending.lua");
    static final LuaScript BROWSE_SORTED = LuaScript.fromResource(RedisTaskBrowser.class, "browse_sorted.lua");
    /** How far around its old index a page looks for the pending task the previous page ended with. */
    static final int PENDING_WINDOW = 500;
    private static final int FIELDS = 13;
    /** The record fields the scripts return, in their order (browse_lib.lua). */
    private static final String[] RECORD_FIELDS = {"spec", "state", "attempts", "runAt", "startedAt", "finishedAt",
        "lastError", "progress", "progressMessage", "progressAt"};

    private final TenantRedis redis;
    private final TaskKeys keys;
    private final String tenant;
    private final String queue;

    RedisTaskBrowser(TenantRedis redis, TaskKeys keys, String queue) {
        this.redis = redis;
        this.keys = keys;
        this.tenant = redis.tenant();
        this.queue = queue;
    }

    Page<ListedTask> page(TaskState state, String cursor, int limit) {
        if (state == null) {
            throw new InvalidInputException("state null: must be one of PENDING, SCHEDULED, RUNNING, FAILED, DEAD");
        }
        Page.requireLimit(limit, TaskQueue.MAX_LIST_LIMIT);
        switch (state) {
            case PENDING:
                return pending(cursor, limit);
            case SCHEDULED:
                return sorted(state, keys.scheduled, false, cursor, limit);
            case FAILED:
                return sorted(state, keys.retry, false, cursor, limit);
            case RUNNING:
                return sorted(state, keys.running, false, cursor, limit);
            case DEAD:
                return sorted(state, keys.dead, true, cursor, limit);
            default:
                throw new InvalidInputException("state " + state + " cannot be listed: must be one of PENDING, "
                        + "SCHEDULED, RUNNING, FAILED, DEAD (finished tasks are kept by id only: read one with its id)");
        }
    }

    private static String kind(TaskState state) {
        return "tasks-" + state.name().toLowerCase(java.util.Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private Page<ListedTask> pending(String cursor, int limit) {
        String kind = kind(TaskState.PENDING);
        String rank = "1";
        String name = "";
        String lastId = "";
        String index = "0";
        if (cursor != null && !cursor.isEmpty()) {
            List<String> f = Cursors.decode(kind, cursor, 4);
            long r = Cursors.number(f.get(0), cursor, kind);
            long i = Cursors.number(f.get(3), cursor, kind);
            if (r < 1 || r > 4 || i < 0 || !Names.isValid(f.get(1))
                    || !f.get(2).matches("[A-Za-z0-9_.-]{1,128}")) {
                throw Cursors.invalid(cursor, kind);
            }
            rank = Long.toString(r);
            name = f.get(1);
            lastId = f.get(2);
            index = Long.toString(i);
        }
        List<Object> r = (List<Object>) redis.eval(BROWSE_PENDING, List.of(keys.names), List.of(keys.taskPrefix,
                keys.pendingPrefix, Integer.toString(limit), rank, name, lastId, index,
                Integer.toString(PENDING_WINDOW)));
        String next = ScriptValues.num(r.get(0)) == 1 ? Cursors.encode(kind, str(r.get(1)), str(r.get(2)),
                str(r.get(3)), str(r.get(4))) : null;
        return new Page<>(tasks(TaskState.PENDING, r), next);
    }

    @SuppressWarnings("unchecked")
    private Page<ListedTask> sorted(TaskState state, String key, boolean desc, String cursor, int limit) {
        String kind = kind(state);
        String score = "";
        String member = "";
        if (cursor != null && !cursor.isEmpty()) {
            List<String> f = Cursors.decode(kind, cursor, 2);
            Cursors.number(f.get(0), cursor, kind);
            if (!f.get(1).matches("[A-Za-z0-9_.-]{1,128}(\\|.*)?")) {
                throw Cursors.invalid(cursor, kind);
            }
            score = f.get(0);
            member = f.get(1);
        }
        List<Object> r = (List<Object>) redis.eval(BROWSE_SORTED, List.of(key), List.of(keys.taskPrefix,
                Integer.toString(limit), desc ? "desc" : "asc", score, member));
        String next = ScriptValues.num(r.get(0)) == 1 ? Cursors.encode(kind, str(r.get(1)), str(r.get(2))) : null;
        return new Page<>(tasks(state, r), next);
    }

    /** The tasks of a script reply: 13 values each, after the 5 of the header. */
    private List<ListedTask> tasks(TaskState listed, List<Object> r) {
        List<ListedTask> out = new ArrayList<>((r.size() - 5) / FIELDS);
        for (int i = 5; i + FIELDS <= r.size(); i += FIELDS) {
            String id = str(r.get(i));
            try {
                out.add(task(listed, id, str(r.get(i + 1)), str(r.get(i + 2)), r.subList(i + 3, i + FIELDS)));
            } catch (RuntimeException e) {
                // a record another writer left malformed: skipped here, readable by id
                LOG.log(Level.FINE, "task {0} of {1}/{2} not listed: {3}", new Object[] {id, tenant, queue, e});
            }
        }
        return out;
    }

    private ListedTask task(TaskState listed, String id, String member, String position, List<Object> f) {
        Map<String, String> h = new HashMap<>();
        for (int k = 0; k < RECORD_FIELDS.length; k++) {
            String v = str(f.get(k));
            if (v != null && !v.isEmpty()) {
                h.put(RECORD_FIELDS[k], v);
            }
        }
        TaskInfo t = TaskInfo.fromRecord(tenant, queue, id, h);
        TaskLease lease = null;
        if (listed == TaskState.RUNNING) {
            String token = member.substring(member.indexOf('|') + 1);
            lease = new TaskLease(token, LeaseHolder.fromToken(token),
                    Instant.ofEpochMilli((long) Double.parseDouble(position)));
        }
        return new ListedTask(id, t.name(), t.priority(), t.state(), t.attempts(), t.maxAttempts(), t.createdAt(),
                t.runAt(), t.startedAt(), t.finishedAt(), t.lastError(), t.progress(), lease);
    }

    private static String str(Object o) {
        return ScriptValues.str(o);
    }
}
