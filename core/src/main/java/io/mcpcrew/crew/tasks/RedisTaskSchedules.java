package io.mcpcrew.crew.tasks;

import static io.mcpcrew.crew.tasks.ScriptValues.num;
import static io.mcpcrew.crew.tasks.ScriptValues.str;

import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@link TaskSchedules} on Redis: the queue's {@code schedules} HASH (name to spec text), {@code schedule-due} ZSET
 * (name to next tick; absent while paused) and {@code schedule-fired} HASH (name to last tick fired), all in the
 * queue's hash tag, each change one script; plus the registry of queues with schedules. The runner's side,
 * {@link #due} and {@link #fire}, is used by {@link ScheduleRunner}. Cheap to create; holds no state of its own.
 */
final class RedisTaskSchedules implements TaskSchedules {
    static final LuaScript PUT = LuaScript.fromResource(RedisTaskSchedules.class, "schedule_put.lua");
    static final LuaScript PAUSE = LuaScript.fromResource(RedisTaskSchedules.class, "schedule_pause.lua");
    static final LuaScript RESUME = LuaScript.fromResource(RedisTaskSchedules.class, "schedule_resume.lua");
    static final LuaScript DELETE = LuaScript.fromResource(RedisTaskSchedules.class, "schedule_delete.lua");
    static final LuaScript READ = LuaScript.fromResource(RedisTaskSchedules.class, "schedule_read.lua");
    static final LuaScript DUE = LuaScript.fromResource(RedisTaskSchedules.class, "schedule_due.lua");
    static final LuaScript FIRE = LuaScript.fromResource(RedisTaskSchedules.class, "fire.lua");
    static final List<LuaScript> SCRIPTS = List.of(PUT, PAUSE, RESUME, DELETE, READ, DUE, FIRE);

    private final RedisTaskQueue queue;
    private final TaskKeys keys;

    RedisTaskSchedules(RedisTaskQueue queue) {
        this.queue = queue;
        this.keys = queue.keys();
    }

    @Override
    public String tenant() {
        return queue.tenant();
    }

    @Override
    public String queue() {
        return queue.name();
    }

    @Override
    @SuppressWarnings("unchecked")
    public TaskSchedule put(ScheduleSpec spec) {
        int max = queue.owner().config().maxPayloadBytes();
        int bytes = spec.payload().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > max) {
            throw new InvalidInputException("payload of " + bytes + " bytes is too large: must be at most " + max
                    + " bytes (redis.crew.tasks.max-payload-bytes)");
        }
        String text = spec.format();
        long next = spec.nextTickAfter(System.currentTimeMillis());
        queue.owner().registerScheduled(tenant(), queue()); // first: a runner never misses a queue with schedules
        queue.owner().register(tenant(), queue());           // the managed workers serve the queue
        List<Object> r = (List<Object>) queue.redis.eval(PUT, List.of(keys.schedules, keys.scheduleDue,
                keys.scheduleFired), List.of(spec.name(), text, Long.toString(next)));
        return view(spec, str(r.get(1)), str(r.get(2)));
    }

    @Override
    public Optional<TaskSchedule> get(String name) {
        List<TaskSchedule> one = read(Names.require("schedule name", name));
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    @Override
    public List<TaskSchedule> list() {
        List<TaskSchedule> all = read("");
        all.sort(Comparator.comparing(TaskSchedule::name));
        return all;
    }

    @SuppressWarnings("unchecked")
    private List<TaskSchedule> read(String name) {
        List<Object> r = (List<Object>) queue.redis.eval(READ, List.of(keys.schedules, keys.scheduleDue,
                keys.scheduleFired), List.of(name));
        List<TaskSchedule> out = new ArrayList<>(r.size() / 4);
        for (int i = 0; i + 3 < r.size(); i += 4) {
            out.add(view(ScheduleSpec.parse(str(r.get(i)), str(r.get(i + 1))), str(r.get(i + 2)), str(r.get(i + 3))));
        }
        return out;
    }

    private TaskSchedule view(ScheduleSpec spec, String due, String fired) {
        return new TaskSchedule(tenant(), queue(), spec, due.isEmpty(), instant(due), instant(fired));
    }

    private static Instant instant(String epochMillis) {
        return epochMillis == null || epochMillis.isEmpty() ? null
                : Instant.ofEpochMilli((long) Double.parseDouble(epochMillis));
    }

    @Override
    public boolean pause(String name) {
        return num(queue.redis.eval(PAUSE, List.of(keys.schedules, keys.scheduleDue),
                List.of(Names.require("schedule name", name)))) == 1;
    }

    @Override
    public boolean resume(String name) {
        Names.require("schedule name", name);
        for (int attempt = 0; attempt < 5; attempt++) {
            String text = queue.redis.execute(j -> j.hget(keys.schedules, name));
            if (text == null) {
                return false;
            }
            long next = ScheduleSpec.parse(name, text).nextTickAfter(System.currentTimeMillis());
            long r = num(queue.redis.eval(RESUME, List.of(keys.schedules, keys.scheduleDue),
                    List.of(name, sha1(text), Long.toString(next))));
            if (r >= 0) {
                return r == 1;
            }
        }
        throw new IllegalStateException("schedule " + name + " of " + tenant() + "/" + queue()
                + " was replaced five times while it was being resumed");
    }

    @Override
    public boolean delete(String name) {
        return num(queue.redis.eval(DELETE, List.of(keys.schedules, keys.scheduleDue, keys.scheduleFired),
                List.of(Names.require("schedule name", name)))) == 1;
    }

    /** One schedule whose tick has come, as {@code schedule_due.lua} read it. */
    record Due(String name, long tick, String specText) {
    }

    /**
     * What {@code schedule_due.lua} read: Redis' clock, how many schedules the queue has, and up to {@code limit}
     * due schedules, the earliest first.
     */
    record DueBatch(long now, long scheduleCount, List<Due> due) {
    }

    /** One schedule's ticks to fire: the due tick read, the spec read, the ticks fired (their ids) and the next. */
    record Firing(Due due, List<Long> ticks, long next, String taskSpec) {
    }

    @SuppressWarnings("unchecked")
    DueBatch due(int limit) {
        List<Object> r = (List<Object>) queue.redis.eval(DUE, List.of(keys.scheduleDue, keys.schedules),
                List.of(Integer.toString(limit)));
        List<Due> due = new ArrayList<>((r.size() - 2) / 3);
        for (int i = 2; i + 2 < r.size(); i += 3) {
            due.add(new Due(str(r.get(i)), (long) Double.parseDouble(str(r.get(i + 1))), str(r.get(i + 2))));
        }
        return new DueBatch(num(r.get(0)), num(r.get(1)), due);
    }

    /**
     * Fires the given schedules in one script: each only if it is still due at the tick read, with the spec read.
     * Returns per schedule the tasks enqueued, or -1 when another runner fired it first (or it changed).
     */
    @SuppressWarnings("unchecked")
    List<Long> fire(List<Firing> firings) {
        queue.owner().register(tenant(), queue()); // once per process: the managed workers serve the queue
        List<String> args = new ArrayList<>();
        args.add(keys.taskPrefix);
        args.add(keys.pendingPrefix);
        args.add(Integer.toString(firings.size()));
        for (Firing f : firings) {
            args.add(f.due().name());
            args.add(Long.toString(f.due().tick()));
            args.add(sha1(f.due().specText()));
            args.add(Long.toString(f.next()));
            args.add(Long.toString(f.ticks().get(f.ticks().size() - 1)));
            args.add(f.taskSpec());
            args.add(Integer.toString(f.ticks().size()));
            for (long tick : f.ticks()) {
                args.add(TaskSchedule.taskId(f.due().name(), tick));
            }
        }
        List<Object> r = (List<Object>) queue.redis.eval(FIRE, List.of(keys.scheduleDue, keys.schedules,
                keys.scheduleFired, keys.names), args);
        List<Long> out = new ArrayList<>(r.size());
        for (Object o : r) {
            out.add(num(o));
        }
        return out;
    }

    /** The number of schedules the queue has (HLEN), for the runner's pruning of the registry. */
    long count() {
        return queue.redis.execute(j -> j.hlen(keys.schedules));
    }

    /** SHA-1 of the text as UTF-8, in lowercase hex, as Lua's {@code redis.sha1hex} gives it. */
    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
