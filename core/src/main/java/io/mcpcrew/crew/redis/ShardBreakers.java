package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.resilience.BreakerState;
import io.mcpcrew.crew.resilience.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * The circuit breakers of a Redis Cluster's masters, one per master (made at its first failure), with the manager's
 * threshold and open duration. A master that stops answering opens its own breaker: calls for its slots then fail at
 * once with {@link ShardUnavailableException} (to the caller a {@link RedisUnavailableException}: the component's
 * fallback, or 503 with {@code Retry-After}), while calls for the other masters' slots go on. The manager's own
 * breaker counts only what no master can be blamed for (no client, a keyless command).
 *
 * <p>While a master's breaker is not closed, {@link #probe} (on the manager's scheduler, once per probe interval)
 * first asks the Cluster for its slot map again: when the slots the master served have moved (its replica was
 * promoted), its breaker is dropped and the calls go to the new master. Otherwise it PINGs the master, which closes
 * the breaker when it answers. Either way the listener hears that the shard is back.
 */
final class ShardBreakers {
    /** One master's breaker and a slot it served when it failed (to notice that its slots moved). */
    private record Shard(HostAndPort node, CircuitBreaker breaker, int slot) {
    }

    private final int threshold;
    private final Duration openDuration;
    private final Clock clock;
    private final Map<HostAndPort, Shard> shards = new ConcurrentHashMap<>();
    private final List<Consumer<BreakerState>> openListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Consumer<HostAndPort> onBack;
    private final Consumer<String> log;
    private volatile ClusterConnectionProvider provider;

    /**
     * @param onBack told (on the probe's thread, or the caller's that closed the breaker) that a master's slots are
     *        served again: its breaker closed, or its slots moved to another master
     * @param log told of every change of a master's breaker, as a sentence
     */
    ShardBreakers(int threshold, Duration openDuration, Clock clock, Consumer<HostAndPort> onBack, Consumer<String> log) {
        this.threshold = threshold;
        this.openDuration = openDuration;
        this.clock = clock;
        this.onBack = onBack;
        this.log = log;
    }

    /** The client's connection provider (set once, when the Cluster client is made). */
    void attach(ClusterConnectionProvider provider) {
        this.provider = provider;
    }

    /** Listens to every master's breaker opening (e.g. a counter of transitions). */
    void addOpenListener(Consumer<BreakerState> listener) {
        openListeners.add(listener);
    }

    /**
     * Lets a call for {@code slot} go to {@code node}, or throws {@link ShardUnavailableException} at once while the
     * node's breaker is open (its open duration not over).
     */
    void admit(HostAndPort node, int slot) {
        Shard s = shards.get(node);
        if (s != null && !s.breaker().allowsCall()) {
            throw new ShardUnavailableException(node, slot, s.breaker().snapshot());
        }
    }

    /** A call to {@code node} got an answer. */
    void success(HostAndPort node) {
        Shard s = shards.get(node);
        if (s != null) {
            s.breaker().recordSuccess();
        }
    }

    /** A call for {@code slot} to {@code node} could not get an answer ({@code slot} -1: unknown). */
    void failure(HostAndPort node, int slot, Throwable error) {
        Shard s = shards.computeIfAbsent(node, n -> shard(n, slot));
        if (slot >= 0 && s.slot() < 0) {
            s = new Shard(node, s.breaker(), slot);
            shards.put(node, s);
        }
        s.breaker().recordFailure(error);
    }

    private Shard shard(HostAndPort node, int slot) {
        CircuitBreaker b = new CircuitBreaker(threshold, openDuration, clock);
        b.addListener(state -> {
            log.accept("Redis Cluster master " + node + ": circuit breaker now " + state.state()
                    + state.lastError().map(e -> " (last error: " + e + ")").orElse(""));
            if (state.state() == BreakerState.State.OPEN) {
                openListeners.forEach(l -> l.accept(state));
            } else if (state.state() == BreakerState.State.CLOSED) {
                onBack.accept(node);
            }
        });
        return new Shard(node, b, slot);
    }

    /** How many masters have a breaker that is not closed. */
    int unavailable() {
        int n = 0;
        for (Shard s : shards.values()) {
            if (!s.breaker().isClosed()) {
                n++;
            }
        }
        return n;
    }

    /**
     * One probe round for the masters whose breaker is not closed: the slot map asked again once, then each such
     * master dropped when its slot has another master now, or PINGed. Never throws for an unreachable master.
     */
    void probe() {
        ClusterConnectionProvider provider = this.provider;
        if (provider == null) {
            return;
        }
        List<Shard> waiting = new ArrayList<>();
        for (Shard s : shards.values()) {
            if (!s.breaker().isClosed()) {
                waiting.add(s);
            }
        }
        if (waiting.isEmpty()) {
            return;
        }
        try {
            provider.renewSlotCache();
        } catch (RuntimeException e) {
            log.accept("Redis Cluster slot map not renewed: " + e.getMessage());
        }
        Map<String, ConnectionPool> known = provider.getConnectionMap();
        for (Shard s : waiting) {
            HostAndPort owner = s.slot() < 0 ? null : provider.getNode(s.slot());
            if ((owner != null && !owner.equals(s.node())) || !known.containsKey(s.node().toString())) {
                if (shards.remove(s.node(), s)) {
                    log.accept("Redis Cluster master " + s.node() + " no longer serves slot " + s.slot() + " (now "
                            + owner + "): its calls go to that master");
                    onBack.accept(s.node());
                }
                continue;
            }
            ping(known.get(s.node().toString()), s.node());
        }
    }

    /**
     * PINGs every master the client knows, one at a time, charging each outcome to that master's breaker.
     *
     * @return the masters that did not answer, with their error, by address (empty: all answered)
     * @throws IllegalStateException when no master answered (or none is known)
     */
    Map<HostAndPort, String> pingMasters() {
        ClusterConnectionProvider p = this.provider;
        if (p == null) {
            throw new IllegalStateException("no Redis Cluster client yet");
        }
        Map<String, ConnectionPool> known = p.getConnectionMap();
        Map<HostAndPort, String> failed = new java.util.TreeMap<>(Comparator.comparing(HostAndPort::toString));
        int answered = 0;
        for (Map.Entry<String, ConnectionPool> m : p.getPrimaryNodesConnectionMap().entrySet()) {
            if (!known.containsKey(m.getKey())) {
                continue; // no longer in the slot map (a failed master replaced by its replica)
            }
            HostAndPort node = HostAndPort.from(m.getKey());
            String error = ping(m.getValue(), node);
            if (error == null) {
                answered++;
            } else {
                failed.put(node, error);
            }
        }
        if (answered == 0) {
            throw new IllegalStateException(failed.isEmpty() ? "no Redis Cluster master known"
                    : "no Redis Cluster master answered: " + failed);
        }
        return failed;
    }

    /** A slot {@code node} serves in the client's slot map, or -1. */
    private static int slotOf(ClusterConnectionProvider p, HostAndPort node) {
        for (int slot = 0; slot < 16384; slot++) {
            if (node.equals(p.getNode(slot))) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * PINGs {@code node} on a connection of its {@code pool}, charging the outcome to its breaker (a failure with a slot
     * it serves, looked up in the slot map only when its breaker knows none yet). Returns null when it answered, else
     * the error.
     */
    private String ping(ConnectionPool pool, HostAndPort node) {
        try (Connection c = pool.getResource()) {
            new Jedis(c).ping();
            success(node);
            return null;
        } catch (RuntimeException e) {
            Shard known = shards.get(node);
            failure(node, known != null && known.slot() >= 0 ? known.slot() : slotOf(provider, node), e);
            return e.getMessage();
        }
    }
}
