package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.resilience.BreakerState;
import io.mcpcrew.crew.resilience.FallbackPath;
import io.mcpcrew.crew.resilience.WriteBack;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The Redis layer's single entry point: one Jedis client for the application (standalone, Sentinel or Cluster
 * by {@code redis.crew.mode}), tenant-scoped views, Lua scripts run with EVALSHA, and a circuit breaker whose
 * state tells components when to use their local fallback. Inject it ({@code @Inject RedisManager redis}) or
 * build a {@link JedisRedisManager} yourself outside a container.
 *
 * <p>Errors: {@link RedisUnavailableException} (retryable: connection, timeout, breaker open),
 * {@link RedisDataException} (not retryable), {@link io.mcpcrew.crew.validation.InvalidInputException} (bad tenant id, name or key part).
 */
public interface RedisManager {

    /** A view scoped to one tenant; throws {@link io.mcpcrew.crew.validation.InvalidNameException} for an id outside {@link io.mcpcrew.crew.validation.Names#RULE}. */
    TenantRedis forTenant(String tenantId);

    RedisCrewConfig config();

    /** The configured TTL of a data type (always positive). */
    Duration ttl(DataType type);

    /** Runs a call through the circuit breaker, translating Jedis exceptions into retryable / not retryable. */
    <T> T execute(RedisCall<T> call);

    /** Runs a Lua script with EVALSHA (loading it on NOSCRIPT). Keys must share one hash tag on Cluster. */
    Object eval(LuaScript script, List<String> keys, List<String> args);

    /** Binary form of {@link #eval}, for scripts that move raw bytes (vectors). */
    Object evalBinary(LuaScript script, List<byte[]> keys, List<byte[]> args);

    /**
     * Runs one command like {@link #execute}, but lets concurrent callers share a round trip: while other threads'
     * commands are waiting, one caller sends them all in one pipeline ({@code redis.crew.coalesce.*}). A caller
     * alone runs {@code direct}. On Redis Cluster, or with coalescing disabled, always {@code direct}. The two
     * forms must be the same single command; its outcome (reply or error) is the caller's own.
     */
    default <T> T coalesce(PipelinedCall<T> queued, RedisCall<T> direct) {
        return execute(direct);
    }

    /** {@link #eval} through {@link #coalesce}: the hot-path form for short scripts run by many threads. */
    default Object evalCoalesced(LuaScript script, List<String> keys, List<String> args) {
        return eval(script, keys, args);
    }

    /**
     * Runs one item of a {@link BatchScript} and returns that item's replies (then the shared ones); concurrent
     * calls of the same script share one EVALSHA (many items, decided in order) when coalescing is on, on
     * standalone and Sentinel. An item error (its first reply a string) is thrown as {@link RedisDataException}.
     */
    default List<Object> evalItem(BatchScript script, List<byte[]> keys, List<byte[]> args) {
        return BatchReplies.slice(script, evalBinary(script.script(), keys, script.argv(keys, args)), 0);
    }

    /**
     * {@link #eval} of a script whose writes the application promises to keep (a task enqueue, an event publish, a
     * session creation). With {@code redis.crew.durability.replicas} N &gt; 0 the EVALSHA is followed by
     * {@code WAIT N timeout} on the same connection, in the same round trip, and the call returns only once N
     * replicas acknowledged it; otherwise it throws {@link NotReplicatedException} (the master has the write). With
     * N = 0 (the default) it is {@link #eval}. {@code kind} says whether the script may find its effect already done
     * (a replay, an idempotency key): see {@link WriteKind}. Keys must share one hash tag on Cluster.
     */
    default Object evalReplicated(LuaScript script, List<String> keys, List<String> args, WriteKind kind) {
        return eval(script, keys, args);
    }

    /**
     * {@link #execute} of plain write commands, under the same rule as {@link #evalReplicated}: with N &gt; 0 the
     * commands {@code queued} puts on a pipeline (all in {@code key}'s hash slot) and {@code WAIT} go in one round trip
     * on one connection; with N = 0, {@code direct}. Both forms must be the same write.
     */
    default <T> T executeReplicated(String key, PipelinedWrite<T> queued, RedisCall<T> direct, WriteKind kind) {
        return execute(direct);
    }

    /** Announces a script at start-up (the startup health check reports them); loads it if Redis is up. */
    void registerScript(LuaScript script);

    /** The scripts announced so far. */
    List<LuaScript> scripts();

    /** False while the breaker is OPEN: components then serve from their local fallback. */
    boolean isAvailable();

    /** True when components should use their local fallback: breaker open and {@code redis.crew.fallback.enabled}. */
    default boolean useFallback() {
        return config().fallbackEnabled() && !isAvailable();
    }

    BreakerState breakerState();

    /**
     * Listens to breaker state changes (on the manager's scheduler). Components that write back after an outage use
     * {@link #addWriteBack} and {@link #onRecovery} instead, which do not depend on the thread that noticed it.
     */
    void addBreakerListener(Consumer<BreakerState> listener);

    /**
     * The one way a component chooses between Redis and its local fallback: {@code onLocal} when
     * {@link #useFallback()}; otherwise {@code onRedis}, and {@code onLocal} if that fails with
     * {@link RedisUnavailableException} while {@code redis.crew.fallback.enabled} (told whether the failed attempt may
     * have been applied). With the fallback disabled, or when the local side is full, the error reaches the caller.
     */
    default <T> T withFallback(java.util.function.Supplier<T> onRedis, FallbackPath<T> onLocal) {
        if (useFallback()) {
            return onLocal.serve(false);
        }
        try {
            return onRedis.get();
        } catch (RedisUnavailableException e) {
            if (!config().fallbackEnabled()) {
                throw e;
            }
            return onLocal.serve(e.outcomeUnknown());
        }
    }

    /**
     * The way a write the durability opt-in covers (task enqueues, event publishes, session creations) chooses: with
     * {@code redis.crew.durability.replicas} N &gt; 0, Redis only — an answered write is on N replicas, so while that
     * cannot be had the caller gets {@link RedisUnavailableException} (HTTP 503 with {@code Retry-After}) and the local
     * fallback never takes it (a write held on one node is on no replica, and other nodes, reading Redis, would
     * answer 404 for it until it is written back), nor a {@link NotReplicatedException} (the master holds that write
     * already); with N = 0, {@link #withFallback} (no write is then confirmed by replicas, so none is unconfirmed).
     */
    default <T> T withFallbackUnlessDurable(java.util.function.Supplier<T> onRedis, FallbackPath<T> onLocal) {
        return config().durabilityReplicas() > 0 ? onRedis.get() : withFallback(onRedis, onLocal);
    }

    /**
     * Registers a component's writes kept while Redis was down: they are written back on a thread of the manager's
     * whenever Redis is available and some are pending, whichever thread noticed the recovery.
     */
    void addWriteBack(WriteBack writeBack);

    /**
     * The durable journal of one component's fallback writes ({@code redis.crew.fallback.journal.*}), or
     * {@link io.mcpcrew.crew.journal.Journal#NONE} when the journal is disabled.
     */
    default io.mcpcrew.crew.journal.Journal journal(String component) {
        return io.mcpcrew.crew.journal.Journal.NONE;
    }

    /**
     * Runs {@code action} once after every recovery (the breaker closing after it was open), on the manager's own
     * thread whichever thread noticed the recovery, before the write-backs.
     */
    void onRecovery(Runnable action);

    /**
     * The manager's scheduler (in a container the server's managed scheduled executor, else the manager's own
     * thread), for the short periodic upkeep of components built on the manager, such as the poller of the task
     * waiters. Never block it for long, and never shut it down: the manager owns it.
     */
    ScheduledExecutorService scheduler();

    /** A direct PING (bypassing the open breaker), recorded by the breaker: used by health checks and the prober. */
    PingResult ping();

    /** The server's {@code redis_version}, once it has been reachable. */
    Optional<String> serverVersion();

    /**
     * The metrics of this manager and the components built on it ({@code redis.crew.metrics.*}): the registry the
     * scrape endpoint exposes, the cardinality policy, the gauges read from Redis and the memory watch. A manager
     * without metrics answers a disabled instance (every meter a no-op).
     */
    default io.mcpcrew.crew.metrics.CrewMetrics metrics() {
        return io.mcpcrew.crew.metrics.CrewMetrics.disabled();
    }

    /**
     * The reply of {@code INFO} (its default sections) of every server this manager talks to, by node address: the
     * one server in standalone mode, the master in Sentinel mode, every node of a Cluster (masters and replicas).
     * One round trip per node.
     */
    default Map<String, String> serverInfo() {
        return Map.of(config().target(), execute(j -> j.info()));
    }

    /**
     * Sends {@code calls} as one pipeline per Redis node (one round trip each; on Cluster each call goes to the node
     * holding its key), through the breaker. Each call keeps its own outcome: its reply, or the exception of its
     * error reply. A node that answers NOSCRIPT gets the batch's scripts loaded and its batch sent once more.
     *
     * @throws RedisUnavailableException when a node cannot be reached (the whole batch fails)
     */
    default PipelineReplies pipelineByKey(List<KeyedCall> calls) {
        if (calls.isEmpty()) {
            return new PipelineReplies(List.of(), 0);
        }
        int[] trips = {0};
        List<Object> out = execute(j -> KeyedPipelines.send(j::pipelined, s -> j.scriptLoad(s.source()), calls,
                e -> new RedisDataException("Redis rejected the command: " + e.getMessage(), e), trips));
        return new PipelineReplies(out, trips[0]);
    }
}
