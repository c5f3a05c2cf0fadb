package io.mcpcrew.crew.tasks;

import static io.mcpcrew.crew.tasks.ScriptValues.flags;
import static io.mcpcrew.crew.tasks.ScriptValues.now;
import static io.mcpcrew.crew.tasks.ScriptValues.num;
import static io.mcpcrew.crew.tasks.ScriptValues.str;
import static io.mcpcrew.crew.tasks.ScriptValues.ttlMillis;

import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.WriteKind;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link TaskLeases} on Redis: each call is one Lua script over the queue's keys ({@link TaskKeys}, one hash tag),
 * so it is atomic and runs on Redis Cluster. Cheap to create; holds no state of its own. Its owner's
 * {@link CompletionNotices} hear of the tasks a worker pool finishes through it.
 */
final class RedisTaskLeases extends RedisQueueView implements TaskLeases {
    /** How often a worker records in the queue's served HASH that it serves its names. */
    static final long SERVED_MARK_MILLIS = 1000;

    private final RedisTaskQueues owner;
    /** The names claimed; empty: every name. */
    private final Set<String> taskNames;
    /** The claim script's trailing arguments: the names, or {@code *}. */
    private final List<String> nameArgs;
    /** Progress of a task claimed by hand: written at once. */
    private final ProgressSink directProgress = (t, p) -> progress(List.of(t), List.of(p));
    private volatile long servedMarkedAt;
    /** This queue's meters (null with metrics off). */
    private final io.mcpcrew.crew.metrics.TenantMeters.Handle<TaskMetrics.QueueMeters> meters;
    private int offset;

    /** @param taskNames the names to claim (valid names), empty for every name */
    RedisTaskLeases(RedisTaskQueues owner, TenantRedis redis, String queue, Set<String> taskNames) {
        super(redis, queue);
        this.owner = owner;
        this.taskNames = Set.copyOf(taskNames);
        this.nameArgs = taskNames.isEmpty() ? List.of("*") : List.copyOf(new TreeSet<>(taskNames));
        this.meters = owner.metrics().queue(redis.tenant(), queue);
    }

    /** This queue's meters; null with metrics off. */
    io.mcpcrew.crew.metrics.TenantMeters.Handle<TaskMetrics.QueueMeters> meters() {
        return meters;
    }

    @Override
    public String queue() {
        return queue;
    }

    @Override
    public Set<String> taskNames() {
        return taskNames;
    }

    /** Who hears of the tasks finished through these leases. */
    CompletionNotices notices() {
        return owner.notices();
    }

    private String streamMaxLength() {
        return owner.config().completionStreamArg();
    }

    @Override
    @SuppressWarnings("unchecked")
    public ClaimBatch ackAndClaim(List<Task> done, List<String> results, int max, Duration lease) {
        if (done.size() != results.size()) {
            throw new IllegalArgumentException(done.size() + " tasks but " + results.size() + " results");
        }
        if (done.isEmpty() && max < 1) {
            return new ClaimBatch(List.of(), List.of());
        }
        long now = System.currentTimeMillis();
        boolean mark = max > 0 && now - servedMarkedAt >= SERVED_MARK_MILLIS;
        List<String> args = new ArrayList<>(12 + done.size() * 3 + nameArgs.size());
        args.add(keys.taskPrefix);
        args.add(Long.toString(now));
        args.add(Integer.toString(Math.max(0, max)));
        args.add(Long.toString(lease.toMillis()));
        args.add(max > 0 ? LeaseHolder.ID + "." + RedisTaskQueue.newId().substring(0, 12) + "." : "");
        args.add(ttlMillis(redis, DataType.DEAD_LETTER));
        args.add(ttlMillis(redis, DataType.TASK_RESULT));
        args.add(keys.pendingPrefix);
        args.add(mark ? "1" : "0");
        args.add(Integer.toString(max > 0 ? nextOffset() : 0));
        args.add(streamMaxLength());
        args.add(Integer.toString(done.size()));
        for (int i = 0; i < done.size(); i++) {
            Task t = done.get(i);
            args.add(t.id());
            args.add(t.leaseToken);
            String result = results.get(i);
            args.add(result == null ? "" : result);
        }
        args.addAll(nameArgs);
        // with the durability opt-in the acks and claims are confirmed by replicas before a worker acts on them: an
        // unconfirmed round trip throws (the acks are sent again, the claimed tasks are not run and come back once
        // their lease expires), so a failover neither loses an acknowledgement nor hands a task to two workers
        List<Object> r = (List<Object>) redis.evalReplicated(RedisTaskQueues.CLAIM, keys.claimKeys(), args,
                done.isEmpty() ? WriteKind.NEW : WriteKind.MAYBE_DONE);
        if (mark) {
            servedMarkedAt = now;
        }
        List<Object> c = (List<Object>) r.get(1);
        List<Object> parents = r.size() > 2 ? (List<Object>) r.get(2) : List.of();
        Map<Integer, List<FlowChild>> children = new HashMap<>();
        for (int i = 0; i + 1 < parents.size(); i += 2) {
            children.put((int) num(parents.get(i)), FlowChild.parseAll((List<?>) parents.get(i + 1)));
        }
        List<Task> claimed = new ArrayList<>(c.size() / 5);
        for (int i = 0; i + 4 < c.size(); i += 5) {
            TaskSpec spec = TaskSpec.parse(str(c.get(i + 3)));
            Task t = new Task(tenant(), queue, str(c.get(i)), spec.name(), str(c.get(i + 4)), spec.priority(),
                    (int) num(c.get(i + 2)), spec.maxAttempts(), str(c.get(i + 1)), spec.timeoutMillis(),
                    spec.backoffBaseMillis(), spec.backoffCapMillis(), children.getOrDefault(i / 5, List.of()));
            t.progressSink = directProgress;
            claimed.add(t);
            if (meters != null && t.attempt() == 1) {
                meters.get().wait.record(Math.max(0, now - spec.createdAtMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        return new ClaimBatch(flags((List<Object>) r.get(0)), claimed);
    }

    @Override
    public Optional<TaskState> fail(Task task, Throwable error) {
        long delay = Backoff.delayMillis(task.backoffBaseMillis, task.backoffCapMillis, task.attempt());
        boolean permanent = error instanceof PermanentTaskFailure;
        Object r = redis.eval(RedisTaskQueues.FAIL,
                List.of(keys.running, keys.retry, keys.dead, keys.meta, keys.completions, keys.names),
                List.of(keys.taskPrefix, task.id(), task.leaseToken, now(), Backoff.errorMessage(error),
                        Backoff.stackSummary(error), Long.toString(delay), ttlMillis(redis, DataType.DEAD_LETTER),
                        permanent ? "1" : "0", streamMaxLength(), ttlMillis(redis, DataType.TASK_RESULT),
                        keys.pendingPrefix));
        return "LOST".equals(r) ? Optional.empty() : Optional.of(TaskState.valueOf((String) r));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Boolean> renew(List<Task> tasks, Duration lease) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(1 + tasks.size());
        args.add(Long.toString(System.currentTimeMillis() + lease.toMillis()));
        for (Task t : tasks) {
            args.add(t.leaseToken);
        }
        return flags((List<Object>) redis.eval(RedisTaskQueues.RENEW, List.of(keys.running), args));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Boolean> progress(List<Task> tasks, List<TaskProgress> progress) {
        if (tasks.size() != progress.size()) {
            throw new IllegalArgumentException(tasks.size() + " tasks but " + progress.size() + " progress values");
        }
        if (tasks.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(3 + tasks.size() * 5);
        args.add(keys.taskPrefix);
        args.add(streamMaxLength());
        args.add(ttlMillis(redis, DataType.TASK_RESULT));
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            TaskProgress p = progress.get(i);
            args.add(t.id());
            args.add(t.leaseToken);
            args.add(Integer.toString(p.percent()));
            args.add(p.message() == null ? "" : p.message());
            args.add(Long.toString(p.at().toEpochMilli()));
        }
        return flags((List<Object>) redis.eval(RedisTaskQueues.PROGRESS, List.of(keys.running, keys.completions),
                args));
    }

    @Override
    public int release(List<Task> tasks, Duration delay) {
        if (tasks.isEmpty()) {
            return 0;
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative release delay " + delay);
        }
        List<String> args = new ArrayList<>(4 + tasks.size() * 2);
        args.add(keys.taskPrefix);
        args.add(keys.pendingPrefix);
        args.add(now());
        args.add(Long.toString(delay.toMillis()));
        for (Task t : tasks) {
            args.add(t.id());
            args.add(t.leaseToken);
        }
        return (int) num(redis.eval(RedisTaskQueues.RELEASE, List.of(keys.running, keys.scheduled, keys.names), args));
    }

    /** Where the next claim starts among the names: one further each time, so that the names take turns. */
    private synchronized int nextOffset() {
        offset = offset == Integer.MAX_VALUE ? 0 : offset + 1;
        return offset;
    }
}
