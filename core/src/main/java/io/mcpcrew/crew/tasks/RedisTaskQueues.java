package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.journal.Record;
import io.mcpcrew.crew.journal.RecordCodec;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.RedisDataException;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.WriteKind;
import io.mcpcrew.crew.resilience.FallbackBuffer;
import io.mcpcrew.crew.resilience.WriteBack;
import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.tenancy.NameRegistry;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@link TaskQueues} on Redis: holds the scripts, the configuration, the registry of queues, the one local
 * {@link FallbackBuffer} of tasks enqueued while Redis is down (flushed, in order, when it is back), the
 * {@link CompletionNotices} of this node's worker pools (fired as the CDI event {@link TaskCompletion} in a
 * container) and the {@link TaskWaiters} of {@link TaskQueue#await}; its tenant views hand out
 * {@link RedisTaskQueue}s and {@link RedisTaskLeases}. A CDI bean, or {@code new RedisTaskQueues(redis)} in plain
 * Java.
 */
@ApplicationScoped
public class RedisTaskQueues implements TaskQueues {
    private static final Logger LOG = Logger.getLogger(RedisTaskQueues.class.getName());

    static final LuaScript ENQUEUE = LuaScript.fromResource(RedisTaskQueues.class, "enqueue.lua");
    static final LuaScript CLAIM = LuaScript.fromResource(RedisTaskQueues.class, "claim.lua");
    static final LuaScript FAIL = LuaScript.fromResource(RedisTaskQueues.class, "fail.lua");
    static final LuaScript RENEW = LuaScript.fromResource(RedisTaskQueues.class, "renew.lua");
    static final LuaScript RELEASE = LuaScript.fromResource(RedisTaskQueues.class, "release.lua");
    static final LuaScript CANCEL = LuaScript.fromResource(RedisTaskQueues.class, "cancel.lua");
    static final LuaScript RETRY_DEAD = LuaScript.fromResource(RedisTaskQueues.class, "retry_dead.lua");
    static final LuaScript STATS = LuaScript.fromResource(RedisTaskQueues.class, "stats.lua");
    static final LuaScript PROGRESS = LuaScript.fromResource(RedisTaskQueues.class, "progress.lua");
    static final LuaScript STATES = LuaScript.fromResource(RedisTaskQueues.class, "states.lua");
    static final LuaScript FLOW = LuaScript.fromResource(RedisTaskQueues.class, "flow.lua");

    private RedisManager redis;
    private TaskQueueConfig config;
    private FallbackBuffer<BufferedTask> buffer;
    private TaskWaiters waiters;
    private CompletionNotices notices;
    private TaskMetrics metrics;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private NameRegistry catalog;

    /** For the CDI proxy. */
    protected RedisTaskQueues() {
    }

    /** Outside a container: completion notices go to the listeners and waiters only. */
    public RedisTaskQueues(RedisManager redis) {
        this(redis, null);
    }

    /**
     * The CDI bean: completion notices are also fired as the event {@link TaskCompletion} when the application has
     * an observer of it.
     */
    @Inject
    public RedisTaskQueues(RedisManager redis, Event<TaskCompletion> events, BeanManager beans) {
        this(redis, observed(beans) ? events : null);
    }

    private RedisTaskQueues(RedisManager redis, Event<TaskCompletion> events) {
        this.redis = redis;
        this.config = TaskQueueConfig.load(redis.config().source());
        this.buffer = new FallbackBuffer<>("task", config.bufferCapacity(), redis.journal("tasks"), new BufferedTaskCodec());
        this.waiters = new TaskWaiters(redis.scheduler(), config.awaitPollInterval());
        this.notices = new CompletionNotices(events, waiters);
        this.catalog = new NameRegistry(redis);
        for (LuaScript s : List.of(ENQUEUE, CLAIM, FAIL, RENEW, RELEASE, CANCEL, RETRY_DEAD, STATS, PROGRESS, STATES,
                FLOW)) {
            redis.registerScript(s);
        }
        RedisTaskSchedules.SCRIPTS.forEach(redis::registerScript);
        List.of(RedisTaskBrowser.BROWSE_PENDING, RedisTaskBrowser.BROWSE_SORTED).forEach(redis::registerScript);
        redis.onRecovery(registered::clear); // Redis may have come back empty: register queues again on their next write
        redis.addWriteBack(WriteBack.of("tasks", buffer::size, this::flushBuffer));
        this.metrics = TaskMetrics.of(redis.metrics());
        redis.metrics().addWorkKey(TaskKeys.registryKey(redis.config().keyPrefix()));
        redis.metrics().addReader("tasks", new QueueGauges(redis, redis.metrics().registry(), config));
        redis.metrics().fallback("tasks", buffer::size, buffer::journaled);
    }

    /** This node's task meters. */
    TaskMetrics metrics() {
        return metrics;
    }

    /**
     * Created when the application starts, not on first use: what a previous run left in the fallback journal is
     * loaded and written back even if nothing calls this component.
     */
    void onStart(@jakarta.enterprise.event.Observes @jakarta.enterprise.context.Initialized(
            jakarta.enterprise.context.ApplicationScoped.class) Object event) {
        // constructing the bean is the work
    }

    /** True if the application observes {@link TaskCompletion} (or the container cannot say): worth firing. */
    private static boolean observed(BeanManager beans) {
        if (beans == null) {
            return false;
        }
        try {
            return !beans.resolveObserverMethods(new TaskCompletion("t", "q", "i", "n", TaskCompletion.Outcome.SUCCEEDED,
                    1, null, null, java.time.Instant.EPOCH)).isEmpty();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot resolve the observers of TaskCompletion; firing it anyway", e);
            return true;
        }
    }

    /** Gives up the callers still waiting for tasks (the application stops). */
    @PreDestroy
    void stop() {
        waiters.close();
    }

    @Override
    public void addCompletionListener(Consumer<TaskCompletion> listener) {
        notices.addListener(listener);
    }

    @Override
    public void removeCompletionListener(Consumer<TaskCompletion> listener) {
        notices.removeListener(listener);
    }

    @Override
    public int awaiting() {
        return waiters.size();
    }

    CompletionNotices notices() {
        return notices;
    }

    TaskWaiters waiters() {
        return waiters;
    }

    @Override
    public TenantTaskQueues forTenant(String tenant) {
        return new Tenant(redis.forTenant(tenant));
    }

    @Override
    public List<TaskQueue> registeredQueues() {
        return queuesOf(TaskKeys.registryKey(redis.config().keyPrefix()));
    }

    @Override
    public List<TaskQueue> scheduledQueues() {
        return queuesOf(TaskKeys.scheduledRegistryKey(redis.config().keyPrefix()));
    }

    /** The queues a registry SET names (members {@code "<tenant>/<queue>"}; others are ignored), sorted. */
    private List<TaskQueue> queuesOf(String key) {
        List<TaskQueue> out = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            String c = cursor;
            ScanResult<String> page = redis.execute(j -> j.sscan(key, c, new ScanParams().count(500)));
            for (String member : page.getResult()) {
                int slash = member.indexOf('/');
                if (slash > 0 && Names.isValid(member.substring(0, slash)) && Names.isValid(member.substring(slash + 1))) {
                    out.add(queueOf(member.substring(0, slash), member.substring(slash + 1)));
                }
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        out.sort((a, b) -> (a.tenant() + "/" + a.name()).compareTo(b.tenant() + "/" + b.name()));
        return out;
    }

    @Override
    public TaskQueueConfig config() {
        return config;
    }

    @Override
    public int bufferedTasks() {
        return buffer.size();
    }

    RedisManager redis() {
        return redis;
    }

    private RedisTaskQueue queueOf(String tenant, String queueName) {
        return new Tenant(redis.forTenant(tenant)).queue(queueName);
    }

    /** Adds the queue to the registry once per process (retried after a failure). */
    void register(String tenant, String queue) {
        String member = TaskKeys.registryMember(tenant, queue);
        if (registered.contains(member)) {
            return;
        }
        String key = TaskKeys.registryKey(redis.config().keyPrefix());
        redis.execute(j -> j.sadd(key, member));
        catalog.register(redis.forTenant(tenant), NameRegistry.QUEUES, queue); // the tenant's queues, for the listing
        registered.add(member);
    }

    /** Adds the queue to the registry of queues with schedules (each time: schedules are written rarely). */
    void registerScheduled(String tenant, String queue) {
        String key = TaskKeys.scheduledRegistryKey(redis.config().keyPrefix());
        redis.execute(j -> j.sadd(key, TaskKeys.registryMember(tenant, queue)));
    }

    /**
     * Removes a queue that was found without schedules from the registry of queues with schedules, and adds it back
     * if a schedule was put meanwhile (a put adds the queue before it writes the schedule, so one of the two sees
     * the other).
     */
    void unregisterScheduled(RedisTaskSchedules schedules) {
        String key = TaskKeys.scheduledRegistryKey(redis.config().keyPrefix());
        String member = TaskKeys.registryMember(schedules.tenant(), schedules.queue());
        redis.execute(j -> j.srem(key, member));
        if (schedules.count() > 0) {
            redis.execute(j -> j.sadd(key, member));
        }
    }

    /**
     * Throws (unavailable, nothing sent) while earlier tasks of {@code queue} wait in the buffer: see
     * {@link FallbackBuffer#requireNoneWaiting}.
     */
    void requireNoneBuffered(RedisTaskQueue queue) {
        buffer.requireNoneWaiting(t -> sameQueue(t.queue(), queue), "queue " + queue.tenant() + "/" + queue.name());
    }

    /** Whether tasks of {@code queue} wait in the buffer. */
    boolean anyBuffered(RedisTaskQueue queue) {
        return buffer.anyMatch(t -> sameQueue(t.queue(), queue));
    }

    private static boolean sameQueue(RedisTaskQueue a, RedisTaskQueue b) {
        return a.name().equals(b.name()) && a.tenant().equals(b.tenant());
    }

    void buffer(List<BufferedTask> tasks) {
        buffer.addAll(tasks);
    }

    /**
     * Writes buffered tasks to Redis in order of acceptance within each queue; a queue's tasks stay buffered, in
     * order, from the first one Redis cannot take now (its Cluster master is down), and the other queues' go on. A
     * task Redis rejects as data (it never will accept it) is logged as SEVERE and skipped.
     */
    public int flushBuffer() {
        int n = buffer.flush(t -> {
            try {
                t.queue().write(List.of(t.item()), t.createdAt(), WriteKind.MAYBE_DONE);
            } catch (RedisDataException e) {
                LOG.log(Level.SEVERE, "Redis rejected buffered task " + t.item().id() + " of " + t.queue().tenant()
                        + "/" + t.queue().name() + "; it is dropped: " + e.getMessage(), e);
            }
            return true;
        }, t -> t.queue().tenant() + "/" + t.queue().name());
        return n;
    }

    /** The queues of one tenant. */
    private final class Tenant implements TenantTaskQueues {
        private final TenantRedis tenantRedis;

        Tenant(TenantRedis tenantRedis) {
            this.tenantRedis = tenantRedis;
        }

        @Override
        public String tenant() {
            return tenantRedis.tenant();
        }

        @Override
        public RedisTaskQueue queue(String name) {
            return new RedisTaskQueue(RedisTaskQueues.this, tenantRedis, Names.require("queue name", name));
        }

        @Override
        public Page<String> queueNames(String cursor, int limit) {
            return catalog.page(tenantRedis, NameRegistry.QUEUES, cursor, limit, MAX_PAGE,
                    name -> Names.require("queue name", name));
        }

        @Override
        public TaskLeases leases(String queueName) {
            return new RedisTaskLeases(RedisTaskQueues.this, tenantRedis, Names.require("queue name", queueName),
                    Set.of());
        }

        @Override
        public TaskLeases leases(String queueName, Set<String> taskNames) {
            if (taskNames == null || taskNames.isEmpty()) {
                throw new InvalidInputException("no task names given: a worker's leases need at least one (leases("
                        + Names.quote(queueName) + ") serves every name)");
            }
            for (String n : taskNames) {
                Names.require("task name", n);
            }
            return new RedisTaskLeases(RedisTaskQueues.this, tenantRedis, Names.require("queue name", queueName),
                    taskNames);
        }
    }

    /** A task accepted while Redis was down, with the id and time it was given then. */
    record BufferedTask(RedisTaskQueue queue, RedisTaskQueue.EnqueueItem item, long createdAt) {
    }

    /** A buffered task as a journal record: tenant, queue, time, and the script arguments. */
    private final class BufferedTaskCodec implements RecordCodec<BufferedTask> {
        @Override
        public byte[] encode(BufferedTask t) {
            RedisTaskQueue.EnqueueItem i = t.item();
            return Record.write(1).str(t.queue().tenant()).str(t.queue().name()).lng(t.createdAt()).str(i.id())
                    .str(i.spec()).str(i.payload()).lng(i.rank()).lng(i.runAt()).str(i.idempotencyKey()).bytes();
        }

        @Override
        public BufferedTask decode(byte[] record) {
            Record.Reader r = Record.read(record, 1);
            RedisTaskQueue q = queueOf(r.str(), r.str());
            long createdAt = r.lng();
            return new BufferedTask(q, new RedisTaskQueue.EnqueueItem(r.str(), r.str(), r.str(), (int) r.lng(), r.lng(),
                    r.str()), createdAt);
        }
    }
}
