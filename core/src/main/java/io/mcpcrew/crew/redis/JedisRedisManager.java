package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.concurrency.CrewThreads;
import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.config.RedisMode;
import io.mcpcrew.crew.journal.Journal;
import io.mcpcrew.crew.journal.JournalDirectory;
import io.mcpcrew.crew.journal.JournalException;
import io.mcpcrew.crew.metrics.CrewMetrics;
import io.mcpcrew.crew.metrics.MetricsSettings;
import io.mcpcrew.crew.resilience.BreakerState;
import io.mcpcrew.crew.resilience.CircuitBreaker;
import io.mcpcrew.crew.resilience.RecoveryWriter;
import io.mcpcrew.crew.resilience.WriteBack;
import io.mcpcrew.crew.tenancy.TenantKeys;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import io.micrometer.core.instrument.Timer;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * {@link RedisManager} on Jedis 8: {@link RedisClient}, {@link RedisSentinelClient} or {@link RedisClusterClient}
 * by {@code redis.crew.mode}, created lazily (so the application starts while Redis is down) and closed by
 * {@link #close()}. A background probe PINGs Redis while the breaker is not CLOSED, so recovery is noticed
 * and announced to listeners without waiting for traffic. The probe, the recovery actions and the connection
 * pools' upkeep run on the scheduler given (in a container the server's managed scheduled executor), or on a
 * scheduler of its own from {@link CrewThreads}.
 */
public class JedisRedisManager implements RedisManager, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JedisRedisManager.class.getName());

    private final RedisCrewConfig config;
    private final CircuitBreaker breaker;
    /** The Cluster masters' own breakers; null outside Cluster mode. */
    private final ShardBreakers shards;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final ScheduledFuture<?> prober;
    private final ScheduledFuture<?> poolUpkeep;
    private final Map<String, LuaScript> scripts = new ConcurrentHashMap<>();
    private final Coalescer coalescer;
    /** Null with redis.crew.durability.replicas = 0. */
    private final ReplicatedWrites replicated;
    private final RecoveryWriter recovery;
    private final JournalDirectory journals;
    private final CrewMetrics metrics;
    /** Null with metrics off: no timing at all. */
    private final RedisMeters meters;
    private volatile UnifiedJedis client;
    private volatile String serverVersion;
    private volatile boolean closed;
    /** When the probe PINGs next while the breaker is not closed: one probe interval after it opened, then every one. */
    private volatile long nextPing;
    /** Longest time between two write-back checks while something waits, whatever the probe interval. */
    static final long WRITE_BACK_CHECK_MS = 500;

    /** Builds the manager; {@code scheduler} runs the recovery probe and listeners (null: a private daemon thread). */
    public JedisRedisManager(RedisCrewConfig config, ScheduledExecutorService scheduler) {
        this.config = config;
        if (config.mode() == RedisMode.CLUSTER && config.database() != 0) {
            throw new ConfigurationException("redis.crew.database", String.valueOf(config.database()),
                    "must be 0 when redis.crew.mode is cluster (Redis Cluster has only database 0)");
        }
        this.journals = config.journalDir().map(d -> openJournals(d, config)).orElse(null);
        this.breaker = new CircuitBreaker(config.breakerFailureThreshold(), config.breakerOpenDuration(), Clock.systemUTC());
        this.shards = config.mode() != RedisMode.CLUSTER ? null : new ShardBreakers(config.breakerFailureThreshold(),
                config.breakerOpenDuration(), Clock.systemUTC(), node -> shardBack(), LOG::info);
        this.metrics = CrewMetrics.create(MetricsSettings.load(config.source()), this);
        this.meters = metrics.enabled() ? new RedisMeters(metrics.registry(), this, breaker, shards) : null;
        this.ownsScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler : CrewThreads.scheduler("redis-probe");
        this.coalescer = config.coalesceEnabled() && config.mode() != RedisMode.CLUSTER
                ? new Coalescer(this, config.coalesceLanes(), config.coalesceMaxBatch()) : null;
        this.replicated = ReplicatedWrites.of(config, meters == null ? null : meters.notReplicated);
        if (journals != null) {
            LOG.info(() -> "fallback journal for " + config.target() + ": " + journals.slot());
        }
        this.recovery = new RecoveryWriter(breaker::isClosed, this.scheduler);
        long every = Math.min(config.breakerProbeInterval().toMillis(), WRITE_BACK_CHECK_MS);
        this.prober = this.scheduler.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
        long upkeep = JedisClients.UPKEEP_INTERVAL.toMillis();
        this.poolUpkeep = this.scheduler.scheduleWithFixedDelay(this::poolUpkeep, upkeep, upkeep, TimeUnit.MILLISECONDS);
        breaker.addListener(s -> LOG.log(s.state() == BreakerState.State.OPEN ? Level.WARNING : Level.INFO,
                "Redis circuit breaker for {0} is now {1}", new Object[] {config.target(), s}));
        breaker.addListener(s -> {
            if (s.state() == BreakerState.State.OPEN) {
                nextPing = System.nanoTime() + config.breakerProbeInterval().toNanos();
            } else if (s.state() == BreakerState.State.CLOSED && !closed) {
                recovery.recovered();
            }
        });
    }

    /** A Cluster master's slots are served again: the recovery actions and the write-backs run as after an outage. */
    private void shardBack() {
        if (!closed && breaker.isClosed()) {
            recovery.recovered();
        }
    }

    /** Recovery actions run on the manager's scheduler after each recovery, whichever thread noticed it. */
    @Override
    public void onRecovery(Runnable action) {
        recovery.addRecoveryAction(action);
    }

    private static JournalDirectory openJournals(java.nio.file.Path dir, RedisCrewConfig config) {
        try {
            return JournalDirectory.open(dir, config.target() + "-" + config.keyPrefix());
        } catch (JournalException e) {
            throw new ConfigurationException("redis.crew.fallback.journal.dir", dir.toString(), "must be a directory this "
                    + "process can create and write (" + e.getMessage() + "), or set redis.crew.fallback.journal.enabled"
                    + "=false to keep writes accepted while Redis is down in memory only");
        }
    }

    @Override
    public void addWriteBack(WriteBack writeBack) {
        recovery.add(writeBack);
    }

    @Override
    public Journal journal(String component) {
        return journals == null ? Journal.NONE : journals.journal(component);
    }

    @Override
    public TenantRedis forTenant(String tenantId) {
        return new TenantRedis(this, TenantKeys.of(config.keyPrefix(), tenantId));
    }

    @Override
    public RedisCrewConfig config() {
        return config;
    }

    @Override
    public Duration ttl(DataType type) {
        return config.ttl(type);
    }

    @Override
    public <T> T execute(RedisCall<T> call) {
        return execute(call, meters == null ? null : meters.command);
    }

    /** {@link #execute} timed by {@code timer} (null: not timed). */
    <T> T execute(RedisCall<T> call, Timer timer) {
        if (!breaker.allowsCall()) {
            BreakerState s = breaker.snapshot();
            throw new RedisUnavailableException("Redis at " + config.target() + " is unavailable: circuit breaker open since "
                    + s.since() + s.lastError().map(e -> " (last error: " + e + ")").orElse(""), null, false);
        }
        UnifiedJedis c = client();
        if (shards != null) {
            ShardAwareConnectionProvider.clearRoute();
        }
        long t0 = timer == null ? 0 : System.nanoTime();
        try {
            T result = call.apply(c);
            recordAnswer();
            return result;
        } catch (JedisDataException e) {
            throw replyError(e);
        } catch (ShardUnavailableException e) {
            throw new RedisUnavailableException(e.getMessage(), e, false); // refused before any I/O: nothing applied
        } catch (JedisException e) {
            if (JedisErrors.isClientSideDataError(e)) {
                throw new RedisDataException("invalid command for Redis " + config.mode().name().toLowerCase(java.util.Locale.ROOT)
                        + ": " + e.getMessage(), e);
            }
            recordOutage(e);
            throw new RedisUnavailableException("Redis at " + config.target() + " is unavailable: " + e.getMessage(), e,
                    JedisErrors.mayHaveBeenSent(e));
        } finally {
            if (timer != null) {
                timer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The timer of a script's round trips (null with metrics off). */
    private Timer scriptTimer(LuaScript script) {
        return meters == null ? null : meters.script(script);
    }

    /** The timer of pipelines (null with metrics off). */
    Timer pipelineTimer() {
        return meters == null ? null : meters.pipeline;
    }

    /** Records the size of a coalesced pipeline. */
    void coalesced(int commands) {
        if (meters != null) {
            meters.coalesced.record(commands);
        }
    }

    @Override
    public CrewMetrics metrics() {
        return metrics;
    }

    /** The client if it was created (for the pool gauges, which must not connect). */
    UnifiedJedis clientIfCreated() {
        return client;
    }

    /**
     * INFO of the server (standalone), of the master (Sentinel) or of every node (Cluster), by address. On a Cluster a
     * node that does not answer is left out (and charged to its own breaker); it throws only when none answers.
     */
    @Override
    public Map<String, String> serverInfo() {
        UnifiedJedis c = client();
        if (c instanceof RedisClusterClient cc) {
            Map<String, String> out = new TreeMap<>();
            RedisUnavailableException missing = null;
            for (Map.Entry<String, ConnectionPool> node : cc.getClusterNodes().entrySet()) {
                try {
                    out.put(node.getKey(), execute(j -> {
                        ShardAwareConnectionProvider.routeTo(HostAndPort.from(node.getKey()));
                        try (Connection conn = node.getValue().getResource()) {
                            return new Jedis(conn).info();
                        }
                    }));
                } catch (RedisUnavailableException e) {
                    missing = e;
                }
            }
            if (out.isEmpty() && missing != null) {
                throw missing;
            }
            return out;
        }
        String node = config.mode() == RedisMode.SENTINEL ? "sentinel:" + config.sentinelMaster() : config.target();
        return Map.of(node, execute(j -> j.info()));
    }

    /** One pipeline per node; on Cluster the calls are grouped by the node that serves their key's slot. */
    @Override
    public PipelineReplies pipelineByKey(List<KeyedCall> calls) {
        if (calls.isEmpty()) {
            return new PipelineReplies(List.of(), 0);
        }
        UnifiedJedis c = client();
        int[] trips = {0};
        if (!(c instanceof RedisClusterClient cc)) {
            List<Object> out = execute(j -> KeyedPipelines.send(j::pipelined, s -> load(j, s, null), calls,
                    this::replyError, trips), pipelineTimer());
            return new PipelineReplies(out, trips[0]);
        }
        // group by node: the node of each slot, looked up once per slot
        Map<Integer, HostAndPort> nodeOfSlot = new java.util.HashMap<>();
        Map<HostAndPort, List<Integer>> byNode = new LinkedHashMap<>();
        Map<HostAndPort, Integer> anySlot = new java.util.HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            int slot = redis.clients.jedis.util.JedisClusterCRC16.getSlot(calls.get(i).key());
            HostAndPort node = nodeOfSlot.get(slot);
            if (node == null) {
                node = execute(j -> {
                    try (Connection conn = cc.getConnectionFromSlot(slot)) {
                        return conn.getHostAndPort();
                    }
                }, null);
                nodeOfSlot.put(slot, node);
                anySlot.putIfAbsent(node, slot);
            }
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(i);
        }
        Object[] out = new Object[calls.size()];
        for (Map.Entry<HostAndPort, List<Integer>> e : byNode.entrySet()) {
            List<KeyedCall> mine = new ArrayList<>(e.getValue().size());
            e.getValue().forEach(i -> mine.add(calls.get(i)));
            int slot = anySlot.get(e.getKey());
            List<Object> replies = execute(j -> {
                try (Connection conn = cc.getConnectionFromSlot(slot)) {
                    return KeyedPipelines.send(() -> new Pipeline(conn), s -> {
                        String sha = new Jedis(conn).scriptLoad(s.source());
                        if (!s.sha1().equals(sha)) {
                            throw new RedisDataException("SCRIPT LOAD of " + s + " returned SHA " + sha, null);
                        }
                    }, mine, this::replyError, trips);
                }
            }, pipelineTimer());
            for (int k = 0; k < mine.size(); k++) {
                out[e.getValue().get(k)] = replies.get(k);
            }
        }
        return new PipelineReplies(java.util.Arrays.asList(out), trips[0]);
    }

    /**
     * What an error reply means, for a call made directly or in a coalesced pipeline: a server that cannot serve now
     * ({@link JedisErrors#isNotServing}) is an outage that applied nothing and counts against the breaker; any other
     * reply is bad data from a server that answered.
     */
    RedisCrewException replyError(JedisDataException e) {
        if (JedisErrors.isNotServing(e)) {
            recordOutage(e);
            return new RedisUnavailableException("Redis at " + config.target() + " is not serving: " + e.getMessage(), e,
                    false);
        }
        recordAnswer(); // Redis answered: it is reachable
        return new RedisDataException("Redis rejected the command: " + e.getMessage(), e);
    }

    /**
     * A call got an answer: the manager's breaker hears it, and on Cluster the breaker of the master the calling
     * thread's last connection went to.
     */
    private void recordAnswer() {
        breaker.recordSuccess();
        if (shards != null) {
            HostAndPort node = ShardAwareConnectionProvider.route().node();
            if (node != null) {
                shards.success(node);
            }
        }
    }

    /**
     * A call got no answer (or a server that cannot serve now): on Cluster the master the calling thread's last
     * connection went to is charged, so the other masters' slots stay served; the manager's breaker is charged when
     * no master can be (no client, a keyless command).
     */
    private void recordOutage(RuntimeException e) {
        if (shards != null) {
            ShardAwareConnectionProvider.Route r = ShardAwareConnectionProvider.route();
            if (r.node() != null) {
                shards.failure(r.node(), r.slot(), e);
                return;
            }
        }
        breaker.recordFailure(e);
    }

    @Override
    public Object eval(LuaScript script, List<String> keys, List<String> args) {
        scripts.putIfAbsent(script.sha1(), script);
        return execute(j -> evalDirect(j, script, keys, args), scriptTimer(script));
    }

    private Object evalDirect(UnifiedJedis j, LuaScript script, List<String> keys, List<String> args) {
        try {
            return j.evalsha(script.sha1(), keys, args);
        } catch (JedisNoScriptException e) {
            load(j, script, keys.isEmpty() ? null : keys.get(0));
            return j.evalsha(script.sha1(), keys, args);
        }
    }

    @Override
    public Object evalReplicated(LuaScript script, List<String> keys, List<String> args, WriteKind kind) {
        if (replicated == null) {
            return eval(script, keys, args);
        }
        scripts.putIfAbsent(script.sha1(), script);
        return execute(j -> replicated.eval(j, script, keys, args, kind), scriptTimer(script));
    }

    @Override
    public <T> T executeReplicated(String key, PipelinedWrite<T> queued, RedisCall<T> direct, WriteKind kind) {
        return replicated == null ? execute(direct) : execute(j -> replicated.write(j, key, queued, null, kind));
    }

    @Override
    public Object evalCoalesced(LuaScript script, List<String> keys, List<String> args) {
        scripts.putIfAbsent(script.sha1(), script);
        String sha = script.sha1();
        return coalesce(p -> p.evalsha(sha, keys, args), j -> evalDirect(j, script, keys, args));
    }

    @Override
    public Object evalBinary(LuaScript script, List<byte[]> keys, List<byte[]> args) {
        scripts.putIfAbsent(script.sha1(), script);
        return execute(j -> evalBinaryDirect(j, script, keys, args), scriptTimer(script));
    }

    private Object evalBinaryDirect(UnifiedJedis j, LuaScript script, List<byte[]> keys, List<byte[]> args) {
        byte[] sha = script.sha1Bytes();
        try {
            return j.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            load(j, script, keys.isEmpty() ? null : new String(keys.get(0), StandardCharsets.UTF_8));
            return j.evalsha(sha, keys, args);
        }
    }

    @Override
    public <T> T coalesce(PipelinedCall<T> queued, RedisCall<T> direct) {
        Coalescer c = coalescer;
        if (c == null || !breaker.isAvailable()) {
            return execute(direct);
        }
        return c.submit(queued, direct);
    }

    @Override
    public List<Object> evalItem(BatchScript script, List<byte[]> keys, List<byte[]> args) {
        Coalescer c = coalescer;
        if (c == null || !breaker.isAvailable()) {
            return RedisManager.super.evalItem(script, keys, args);
        }
        List<byte[]> argv = script.argv(keys, args);
        LuaScript lua = script.script();
        scripts.putIfAbsent(lua.sha1(), lua);
        byte[] sha = lua.sha1Bytes();
        return c.submit(script, keys, args, p -> p.evalsha(sha, keys, argv), j -> evalBinaryDirect(j, lua, keys, argv));
    }

    /** Coalesced pipelines sent so far and the commands they carried (0, 0 when coalescing is off). */
    public CoalescingStats coalescing() {
        Coalescer c = coalescer;
        return c == null ? new CoalescingStats(0, 0) : new CoalescingStats(c.batches(), c.commands());
    }

    /** The coalescer's free lanes, -1 when coalescing is off (for tests). */
    int coalescerFreeLanes() {
        Coalescer c = coalescer;
        return c == null ? -1 : c.freeLanes();
    }

    private void load(UnifiedJedis j, LuaScript script, String sampleKey) {
        String sha = sampleKey == null ? j.scriptLoad(script.source()) : j.scriptLoad(script.source(), sampleKey);
        if (!script.sha1().equals(sha)) {
            throw new RedisDataException("SCRIPT LOAD of " + script + " returned SHA " + sha, null);
        }
    }

    @Override
    public void registerScript(LuaScript script) {
        if (scripts.putIfAbsent(script.sha1(), script) != null || config.mode() == RedisMode.CLUSTER) {
            return; // on Cluster scripts load on the node that needs them, on first NOSCRIPT
        }
        try {
            execute(j -> {
                load(j, script, null);
                return null;
            });
        } catch (RedisCrewException e) {
            LOG.log(Level.FINE, "script {0} not preloaded (loads on first use): {1}", new Object[] {script, e.getMessage()});
        }
    }

    @Override
    public List<LuaScript> scripts() {
        return List.copyOf(scripts.values());
    }

    @Override
    public boolean isAvailable() {
        return breaker.isAvailable();
    }

    @Override
    public BreakerState breakerState() {
        return breaker.snapshot();
    }

    @Override
    public void addBreakerListener(Consumer<BreakerState> listener) {
        // listeners (fallback flushes) run on the scheduler, never on the caller's or a health check's thread
        breaker.addListener(s -> {
            if (!closed) {
                scheduler.execute(() -> listener.accept(s));
            }
        });
    }

    @Override
    public PingResult ping() {
        long t0 = System.nanoTime();
        try {
            UnifiedJedis c = client();
            String partial = null;
            if (shards != null) {
                Map<HostAndPort, String> failed = shards.pingMasters();
                partial = failed.isEmpty() ? null : "Redis Cluster masters not answering (their slots answer 503, the "
                        + "others are served): " + failed;
            } else {
                c.ping();
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - t0);
            breaker.recordSuccess();
            if (serverVersion == null) {
                serverVersion = parseVersion(c.info("server"));
            }
            return new PingResult(true, latency, partial);
        } catch (JedisException | RedisUnavailableException | IllegalStateException e) {
            breaker.recordFailure(e);
            return new PingResult(false, Duration.ofNanos(System.nanoTime() - t0), e.getMessage());
        }
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Optional<String> serverVersion() {
        return Optional.ofNullable(serverVersion);
    }

    private static String parseVersion(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return null;
    }

    /**
     * The periodic task (every probe interval, at most {@link #WRITE_BACK_CHECK_MS} apart): PINGs once per probe
     * interval while the breaker is not closed, and writes back what waits while it is.
     */
    private void probe() {
        if (closed) {
            return;
        }
        try {
            long now = System.nanoTime();
            if (!breaker.isClosed() && now - nextPing >= 0) {
                nextPing = now + config.breakerProbeInterval().toNanos();
                ping();
            }
            if (shards != null && breaker.isClosed()) {
                shards.probe();
            }
            if (breaker.isClosed()) {
                recovery.tick();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Redis probe failed", e); // never let a periodic task die silently
        }
    }

    /**
     * The connection pools' upkeep ({@link JedisClients#upkeep}) while the breaker is closed: with Redis unreachable
     * the probe stands in, and broken connections are dropped as they are used.
     */
    void poolUpkeep() {
        UnifiedJedis c = client;
        if (closed || c == null || !breaker.isClosed()) {
            return;
        }
        try {
            JedisClients.upkeep(c);
        } catch (Exception e) {
            LOG.log(Level.FINE, "connection pool upkeep", e); // the next command or probe reports the outage
        }
    }

    /** The Jedis client, created on first use; a creation failure (Cluster/Sentinel unreachable) is retryable. */
    UnifiedJedis client() {
        UnifiedJedis c = client;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (closed) {
                throw new RedisUnavailableException("RedisManager is closed", null, false);
            }
            if (client == null) {
                try {
                    client = JedisClients.create(config, shards);
                } catch (JedisException e) {
                    breaker.recordFailure(e);
                    String why = JedisClients.diagnoseSentinels(config);
                    throw new RedisUnavailableException("cannot connect to Redis " + config.target() + ": " + e.getMessage()
                            + (why.isEmpty() ? "" : " (" + why + ")"), e, false);
                }
            }
            return client;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        prober.cancel(false);
        poolUpkeep.cancel(false);
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        if (journals != null) {
            journals.close();
        }
        metrics.close();
        UnifiedJedis c = client;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing the Jedis client", e);
            }
        }
    }
}
