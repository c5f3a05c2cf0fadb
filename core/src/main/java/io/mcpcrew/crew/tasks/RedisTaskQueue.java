package io.mcpcrew.crew.tasks;

import static io.mcpcrew.crew.tasks.ScriptValues.now;
import static io.mcpcrew.crew.tasks.ScriptValues.ttlMillis;

import io.mcpcrew.crew.metrics.TenantMeters;
import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.NotReplicatedException;
import io.mcpcrew.crew.redis.WriteKind;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@link TaskQueue} on Redis: every operation is one Lua script (or one command) over the queue's keys
 * ({@link TaskKeys}, one hash tag), so it is atomic and runs on Redis Cluster; enqueues go to the owner's
 * fallback buffer while Redis is down. Cheap to create; holds no state of its own. The worker protocol of the same
 * queue is {@link RedisTaskLeases}.
 */
final class RedisTaskQueue extends RedisQueueView implements TaskQueue {
    static final int ENQUEUE_BATCH = 500;
    /** What a caller told that a task's write was not confirmed by the replicas should do. */
    static final String RETRY_ADVICE = "retry with the same idempotency key (it answers the first task's id if that "
            + "task was kept); without one a retry may enqueue the task twice";
    /** The same for a flow (the parent's idempotency key covers the whole flow). */
    static final String FLOW_RETRY_ADVICE = "retry with the same idempotency key on the parent (it answers the first "
            + "flow's ids if that flow was kept); without one a retry may enqueue the flow twice";
    /** Most ids an error message lists. */
    private static final int IDS_NAMED = 10;
    /** How long {@link #await} waits past its timeout for the poller before it reads the task itself. */
    static final long AWAIT_MARGIN_MILLIS = 30_000;

    private final RedisTaskQueues owner;
    /** This queue's meters, resolved on the first enqueue (a race resolves the same handle twice); null before. */
    private TenantMeters.Handle<TaskMetrics.QueueMeters> meters;

    RedisTaskQueue(RedisTaskQueues owner, TenantRedis redis, String queue) {
        super(redis, queue);
        this.owner = owner;
    }

    @Override
    public String name() {
        return queue;
    }

    TaskKeys keys() {
        return keys;
    }

    RedisTaskQueues owner() {
        return owner;
    }

    @Override
    public TaskSchedules schedules() {
        return new RedisTaskSchedules(this);
    }

    private TaskQueueConfig config() {
        return owner.config();
    }

    @Override
    public String enqueue(String taskName, String payload, TaskPriority priority, TaskOptions options) {
        return enqueueAll(List.of(new NewTask(taskName, payload, priority, options))).get(0);
    }

    @Override
    public List<String> enqueueAll(List<NewTask> tasks) {
        for (NewTask t : tasks) {
            validate(t);
        }
        long now = System.currentTimeMillis();
        List<EnqueueItem> items = new ArrayList<>(tasks.size());
        for (NewTask t : tasks) {
            items.add(item(t, newId(), now));
        }
        if (!owner.redis().useFallback() && owner.anyBuffered(this)) {
            owner.flushBuffer(); // this queue's tasks accepted earlier go first: its order of acceptance is kept
        }
        List<String> out = new ArrayList<>(tasks.size());
        for (int from = 0; from < items.size(); from += ENQUEUE_BATCH) {
            List<EnqueueItem> chunk = items.subList(from, Math.min(items.size(), from + ENQUEUE_BATCH));
            List<EnqueueItem> rest = items.subList(from, items.size());
            boolean[] buffered = {false};
            try {
                out.addAll(owner.redis().withFallbackUnlessDurable(() -> {
                    owner.requireNoneBuffered(this);
                    return write(chunk, now, kindOf(chunk));
                }, maybeWritten -> {
                    buffered[0] = true;
                    return buffer(rest, now);
                }));
            } catch (NotReplicatedException e) {
                countEnqueued(out.size());
                throw e.about(unconfirmed(chunk, e.reply(), out.size()), RETRY_ADVICE);
            }
            if (buffered[0]) {
                break;
            }
        }
        countEnqueued(out.size());
        return out;
    }

    /** A write of tasks with fresh ids is NEW; an idempotency key may find its task there already. */
    private static WriteKind kindOf(List<EnqueueItem> items) {
        for (EnqueueItem i : items) {
            if (!i.idempotencyKey().isEmpty()) {
                return WriteKind.MAYBE_DONE;
            }
        }
        return WriteKind.NEW;
    }

    /**
     * "tasks a, b (queue q of tenant t)": the ids of a write the replicas did not confirm (those the script answered,
     * which for an idempotency key seen before are the first task's), and how many this call stored before.
     */
    private String unconfirmed(List<EnqueueItem> chunk, Object reply, int storedBefore) {
        List<String> ids = new ArrayList<>(chunk.size());
        if (reply instanceof List<?> answered && answered.size() == chunk.size()) {
            answered.forEach(id -> ids.add(String.valueOf(id)));
        } else {
            chunk.forEach(i -> ids.add(i.id()));
        }
        StringBuilder b = new StringBuilder(chunk.size() == 1 ? "task " : chunk.size() + " tasks ");
        for (int i = 0; i < Math.min(ids.size(), IDS_NAMED); i++) {
            b.append(i == 0 ? "" : ", ").append(ids.get(i));
        }
        if (chunk.size() > IDS_NAMED) {
            b.append(" and ").append(chunk.size() - IDS_NAMED).append(" more");
        }
        b.append(" (queue ").append(Names.quote(queue)).append(" of tenant ").append(Names.quote(tenant()));
        if (storedBefore > 0) {
            b.append("; the ").append(storedBefore).append(" task(s) before them in this call are stored and replicated");
        }
        return b.append(")").toString();
    }

    /** Counts {@code n} tasks enqueued on this queue's meters (none with metrics off). */
    private void countEnqueued(int n) {
        TenantMeters.Handle<TaskMetrics.QueueMeters> h = meters;
        if (h == null) {
            h = owner.metrics().queue(tenant(), queue);
            if (h == null) {
                return;
            }
            meters = h;
        }
        if (n > 0) {
            h.get().enqueued.increment(n);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public EnqueuedFlow enqueueFlow(NewFlow flow) {
        Objects.requireNonNull(flow, "flow");
        validate(flow.parent());
        if (flow.parent().options().runAtMillis(0) != 0) {
            throw new InvalidInputException("a flow's parent takes no delay or run-at time: it runs when its children"
                    + " have finished");
        }
        int n = flow.children().size();
        if (n < 1 || n > NewFlow.MAX_CHILDREN) {
            throw new InvalidInputException("a flow of " + n + " children: must have 1 to " + NewFlow.MAX_CHILDREN);
        }
        long total = flow.parent().payload().getBytes(StandardCharsets.UTF_8).length;
        for (NewTask c : flow.children()) {
            validate(c);
            total += c.payload().getBytes(StandardCharsets.UTF_8).length;
            if (total > NewFlow.MAX_TOTAL_PAYLOAD_BYTES) {
                throw new InvalidInputException("a flow's payloads add up to more than " + NewFlow.MAX_TOTAL_PAYLOAD_BYTES
                        + " bytes: parent and children together must stay within that (one script writes them)");
            }
            if (c.options().idempotencyKey().isPresent()) {
                throw new InvalidInputException("child task " + Names.quote(c.name()) + " has an idempotency key:"
                        + " in a flow only the parent takes one (it covers the whole flow)");
            }
        }
        long now = System.currentTimeMillis();
        EnqueueItem parent = item(flow.parent(), newId(), now);
        List<String> args = new ArrayList<>(11 + n * 4);
        args.addAll(List.of(keys.taskPrefix, keys.idemPrefix, Long.toString(now),
                Long.toString(redis.ttl(DataType.IDEMPOTENCY).toMillis()), keys.pendingPrefix,
                flow.onChildFailure().name(), parent.id(), parent.spec(), parent.payload(), parent.idempotencyKey(),
                Integer.toString(n)));
        for (NewTask c : flow.children()) {
            EnqueueItem i = item(c, newId(), now);
            args.addAll(List.of(i.id(), i.spec(), i.payload(), Long.toString(i.runAt())));
        }
        owner.register(tenant(), queue);
        List<String> ids;
        try {
            ids = (List<String>) redis.evalReplicated(RedisTaskQueues.FLOW, List.of(keys.scheduled, keys.names,
                    keys.meta), args, parent.idempotencyKey().isEmpty() ? WriteKind.NEW : WriteKind.MAYBE_DONE);
        } catch (NotReplicatedException e) {
            String parentId = e.reply() instanceof List<?> answered && !answered.isEmpty()
                    ? String.valueOf(answered.get(0)) : parent.id(); // an idempotency key seen before: the first flow
            throw e.about("flow of parent task " + parentId + " and " + n + " children (queue " + Names.quote(queue)
                    + " of tenant " + Names.quote(tenant()) + ")", FLOW_RETRY_ADVICE);
        }
        countEnqueued(ids.size());
        return new EnqueuedFlow(ids.get(0), ids.subList(1, ids.size()));
    }

    private List<String> buffer(List<EnqueueItem> items, long now) {
        List<RedisTaskQueues.BufferedTask> batch = new ArrayList<>(items.size());
        List<String> ids = new ArrayList<>(items.size());
        for (EnqueueItem i : items) {
            batch.add(new RedisTaskQueues.BufferedTask(this, i, now));
            ids.add(i.id());
        }
        owner.buffer(batch);
        return ids;
    }

    /** The script arguments of one task. */
    private EnqueueItem item(NewTask t, String id, long now) {
        TaskQueueConfig c = config();
        TaskOptions o = t.options();
        String idem = o.idempotencyKey().orElse("");
        String spec = new TaskSpec(t.name(), t.priority(), o.maxAttempts().orElse(c.maxAttempts()),
                o.backoffBase().orElse(c.backoffBase()).toMillis(), o.backoffCap().orElse(c.backoffCap()).toMillis(),
                o.timeout().map(Duration::toMillis).orElse(0L), now, idem).format();
        return new EnqueueItem(id, spec, t.payload(), t.priority().rank(), o.runAtMillis(now), idem);
    }

    /** One task as {@code enqueue.lua} takes it (and as the fallback journal keeps it). */
    record EnqueueItem(String id, String spec, String payload, int rank, long runAt, String idempotencyKey) {
    }

    /**
     * One enqueue script for up to {@link #ENQUEUE_BATCH} tasks; returns the ids Redis kept. An id Redis holds a
     * task record for already is not enqueued again (a replay of a write whose first outcome was unknown): a replay
     * is {@link WriteKind#MAYBE_DONE}. With {@code redis.crew.durability.replicas} set, it returns once the replicas
     * have the write, or throws {@link NotReplicatedException}.
     */
    @SuppressWarnings("unchecked")
    List<String> write(List<EnqueueItem> items, long now, WriteKind kind) {
        owner.register(tenant(), queue);
        List<String> args = new ArrayList<>(6 + items.size() * 5);
        args.add(keys.taskPrefix);
        args.add(keys.idemPrefix);
        args.add(Long.toString(now));
        args.add(Long.toString(redis.ttl(DataType.IDEMPOTENCY).toMillis()));
        args.add(Integer.toString(items.size()));
        args.add(keys.pendingPrefix);
        for (EnqueueItem i : items) {
            args.add(i.id());
            args.add(i.spec());
            args.add(i.payload());
            args.add(Long.toString(i.runAt()));
            args.add(i.idempotencyKey());
        }
        return (List<String>) redis.evalReplicated(RedisTaskQueues.ENQUEUE, List.of(keys.scheduled, keys.names), args,
                kind);
    }

    private void validate(NewTask t) {
        Names.require("task name", t.name());
        String p = t.payload();
        if (p == null) {
            throw new InvalidInputException("payload null: must be JSON text (use \"null\" or \"{}\" for none)");
        }
        int max = config().maxPayloadBytes();
        if (p.length() > max / 3 && p.getBytes(StandardCharsets.UTF_8).length > max) {
            throw new InvalidInputException("payload of " + p.getBytes(StandardCharsets.UTF_8).length
                    + " bytes is too large: must be at most " + max + " bytes (redis.crew.tasks.max-payload-bytes)");
        }
        if (t.options().backoffBase().isEmpty() && t.options().backoffCap().isPresent()
                && t.options().backoffCap().get().compareTo(config().backoffBase()) < 0) {
            throw new InvalidInputException("backoff cap " + t.options().backoffCap().get()
                    + " is below the default base " + config().backoffBase());
        }
    }

    /** 32 hex digits (128 random bits): unique across nodes without coordination, valid in a key. */
    static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String a = Long.toHexString(r.nextLong());
        String b = Long.toHexString(r.nextLong());
        return "0".repeat(16 - a.length()) + a + "0".repeat(16 - b.length()) + b;
    }

    /** Task ids are checked before they reach a key: 1 to 128 of A-Z a-z 0-9 _ - . (as a key part). */
    static String requireId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new InvalidInputException("invalid task id " + Names.quote(id)
                    + ": must be 1 to 128 characters from A-Z, a-z, 0-9, '_', '-' and '.'");
        }
        return id;
    }

    @Override
    public Optional<TaskInfo> get(String id) {
        String k = keys.task(requireId(id));
        Map<String, String> h = redis.execute(j -> j.hgetAll(k));
        if (h == null || h.get("state") == null || h.get("spec") == null) {
            return Optional.empty();
        }
        return Optional.of(TaskInfo.fromRecord(tenant(), queue, id, h));
    }

    @Override
    public Optional<TaskState> cancel(String id) {
        List<String> k = new ArrayList<>(10);
        k.addAll(List.of(keys.scheduled, keys.retry, keys.meta));
        k.addAll(keys.legacyPending);
        k.addAll(List.of(keys.dead, keys.names, keys.completions));
        Object r = redis.eval(RedisTaskQueues.CANCEL, k, List.of(keys.taskPrefix, requireId(id), now(),
                ttlMillis(redis, DataType.TASK_RESULT), keys.pendingPrefix, ttlMillis(redis, DataType.DEAD_LETTER),
                config().completionStreamArg()));
        Optional<TaskState> s = stateOf(r);
        if (s.equals(Optional.of(TaskState.CANCELLED))) {
            owner.waiters().settle(this, List.of(id)); // the callers waiting here hear of it at once
        }
        return s;
    }

    @Override
    public Optional<TaskInfo> await(String id, Duration timeout) throws InterruptedException {
        CompletableFuture<Optional<TaskInfo>> f = owner.waiters().await(this, id, timeout);
        try {
            // the poller answers at the timeout; past it and a margin something is wrong: read the task instead
            return f.get(timeout.toMillis() + AWAIT_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            return get(id);
        }
    }

    @Override
    public CompletionStage<Optional<TaskInfo>> awaitAsync(String id, Duration timeout) {
        return owner.waiters().await(this, id, timeout);
    }

    @Override
    public Optional<TaskState> retryDead(String id) {
        Object r = redis.eval(RedisTaskQueues.RETRY_DEAD, List.of(keys.dead, keys.names),
                List.of(keys.taskPrefix, requireId(id), now(), keys.pendingPrefix));
        return stateOf(r);
    }

    private static Optional<TaskState> stateOf(Object r) {
        return "MISSING".equals(r) ? Optional.empty() : Optional.of(TaskState.valueOf((String) r));
    }

    @Override
    public Page<ListedTask> tasks(TaskState state, String cursor, int limit) {
        return new RedisTaskBrowser(redis, keys, queue).page(state, cursor, limit);
    }

    @Override
    public List<TaskInfo> deadLetters(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("invalid limit " + limit + ": must be from 1 to 1000");
        }
        List<String> ids = redis.execute(j -> j.zrevrange(keys.dead, 0, limit - 1));
        List<TaskInfo> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            get(id).filter(t -> t.state() == TaskState.DEAD).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public void pause() {
        redis.execute(j -> j.hset(keys.meta, "paused", "1"));
    }

    @Override
    public void resume() {
        redis.execute(j -> j.hdel(keys.meta, "paused"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public QueueStats stats() {
        List<Object> r = (List<Object>) redis.eval(RedisTaskQueues.STATS, keys.queueKeys(),
                List.of(keys.taskPrefix, keys.pendingPrefix));
        return QueueStats.fromReply(tenant(), queue, r, System.currentTimeMillis(), config().servedWindow().toMillis());
    }

    @Override
    public TaskWorker startWorker(TaskHandler handler, int concurrency) {
        return startWorker(handler, concurrency, null);
    }

    @Override
    public TaskWorker startWorker(TaskHandler handler, int concurrency, ExecutorService executor) {
        Objects.requireNonNull(handler, "handler");
        return startPool(new RedisTaskLeases(owner, redis, queue, Set.of()), name -> handler, concurrency, executor);
    }

    @Override
    public TaskWorker startWorker(Collection<? extends NamedTaskHandler> handlers, int concurrency,
            ExecutorService executor) {
        Map<String, NamedTaskHandler> byName;
        try {
            byName = TaskHandlers.byName(handlers, true);
        } catch (IllegalStateException e) {
            throw new InvalidInputException(e.getMessage());
        }
        if (byName.isEmpty()) {
            throw new InvalidInputException("no task handlers given: a worker needs at least one");
        }
        return startPool(new RedisTaskLeases(owner, redis, queue, byName.keySet()), byName::get, concurrency,
                executor);
    }

    private TaskWorker startPool(TaskLeases leases, Function<String, TaskHandler> handlers, int concurrency,
            ExecutorService executor) {
        List<TaskLeases> served = List.of(leases);
        TaskWorkerPool pool = new TaskWorkerPool("tasks-" + tenant() + "-" + queue, () -> served, handlers, concurrency,
                executor, null, config());
        pool.start();
        return pool;
    }
}
