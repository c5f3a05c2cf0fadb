package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.resilience.BreakerState;
import io.mcpcrew.crew.resilience.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.apache.commons.pool2.impl.GenericObjectPool;
import redis.clients.jedis.Connection;
import redis.clients.jedis.UnifiedJedis;

/**
 * The meters of a {@link JedisRedisManager}: the latency of every round trip it makes ({@code crew.redis.commands},
 * by call: {@code command}, {@code pipeline} (coalesced or keyed) or the script's name), the breaker's state and
 * transitions, the connection pools (active, idle, waiting callers), the sizes of coalesced pipelines and the promised
 * writes the replicas did not confirm. Each round
 * trip costs two {@code System.nanoTime()} calls and a histogram update; a coalesced pipeline is one round trip,
 * whatever the number of callers it carries.
 */
final class RedisMeters {
    /** The latency buckets of a round trip: 100 µs to 1 s. */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
        Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofSeconds(1)};

    private final MeterRegistry registry;
    final Timer command;
    final Timer pipeline;
    final DistributionSummary coalesced;
    final Counter notReplicated;
    private final Map<String, Timer> scripts = new ConcurrentHashMap<>();

    RedisMeters(MeterRegistry registry, JedisRedisManager manager, CircuitBreaker breaker, ShardBreakers shards) {
        this.registry = registry;
        this.command = timer("command");
        this.pipeline = timer("pipeline");
        this.coalesced = DistributionSummary.builder("crew.redis.coalesced.pipeline.size")
                .description("callers' commands carried by one coalesced pipeline (one round trip)")
                .serviceLevelObjectives(2, 4, 8, 16, 32, 64, 128).register(registry);
        this.notReplicated = Counter.builder("crew.redis.writes.not.replicated").description("promised writes the "
                + "replicas did not confirm within redis.crew.durability.timeout (answered with NotReplicatedException)")
                .register(registry);
        for (BreakerState.State s : BreakerState.State.values()) {
            Gauge.builder("crew.redis.breaker.state", breaker, b -> b.snapshot().state() == s ? 1 : 0)
                    .description("1 for the circuit breaker's current state").tag("state", s.name().toLowerCase(
                            java.util.Locale.ROOT)).strongReference(true).register(registry);
        }
        Map<BreakerState.State, Counter> transitions = new EnumMap<>(BreakerState.State.class);
        for (BreakerState.State s : BreakerState.State.values()) {
            transitions.put(s, Counter.builder("crew.redis.breaker.transitions")
                    .description("circuit breaker state changes, by the state entered")
                    .tag("to", s.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        breaker.addListener(s -> transitions.get(s.state()).increment());
        if (shards != null) {
            Gauge.builder("crew.redis.cluster.masters.unavailable", shards, ShardBreakers::unavailable)
                    .description("Redis Cluster masters whose own circuit breaker is not closed (their slots answer "
                            + "503 or from the fallback; the other masters' slots are served)")
                    .strongReference(true).register(registry);
            Counter opened = Counter.builder("crew.redis.cluster.master.breaker.opened")
                    .description("times a Redis Cluster master's own circuit breaker opened").register(registry);
            shards.addOpenListener(s -> opened.increment());
        }
        pool(manager, "active", GenericObjectPool::getNumActive);
        pool(manager, "idle", GenericObjectPool::getNumIdle);
        Gauge.builder("crew.redis.pool.waiting", manager, m -> sum(m.clientIfCreated(), GenericObjectPool::getNumWaiters))
                .description("callers waiting for a pooled connection").strongReference(true).register(registry);
    }

    private void pool(JedisRedisManager manager, String state, ToDoubleFunction<GenericObjectPool<Connection>> f) {
        Gauge.builder("crew.redis.pool.connections", manager, m -> sum(m.clientIfCreated(), f))
                .description("pooled connections, by state (over every node's pool)").tag("state", state)
                .strongReference(true).register(registry);
    }

    private static double sum(UnifiedJedis client, ToDoubleFunction<GenericObjectPool<Connection>> f) {
        if (client == null) {
            return 0;
        }
        double n = 0;
        try {
            for (GenericObjectPool<Connection> p : JedisClients.pools(client)) {
                if (p != null && !p.isClosed()) {
                    n += f.applyAsDouble(p);
                }
            }
        } catch (RuntimeException e) {
            return 0; // a topology being rebuilt: the next scrape reads it
        }
        return n;
    }

    private Timer timer(String call) {
        return Timer.builder("crew.redis.commands").description("round trips to Redis, by call: a command, a pipeline or "
                + "the Lua script run").tag("call", call).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    /** The timer of a script's round trips. */
    Timer script(LuaScript s) {
        Timer t = scripts.get(s.name());
        return t != null ? t : scripts.computeIfAbsent(s.name(), this::timer);
    }
}
