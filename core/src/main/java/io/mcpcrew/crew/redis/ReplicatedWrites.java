package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Writes that must reach replicas before they are answered ({@code redis.crew.durability.replicas} N &gt; 0): the
 * write's commands and {@code WAIT N timeout} are sent as one pipeline on one connection — one round trip plus the
 * time the replicas take to acknowledge. {@code WAIT} counts the replicas that acknowledged the connection's own last
 * write, so both must share the connection: the pooled connection of the master ({@link UnifiedJedis#pipelined()} of
 * a {@code RedisClient} or {@code RedisSentinelClient} holds one connection until closed), or on Cluster a connection
 * of the node that serves the write's slot ({@code RedisClusterClient.getConnectionFromSlot}).
 *
 * <p>Outcomes: the write's reply when at least N replicas acknowledged; {@link NotReplicatedException} when fewer did
 * within the timeout (the master has the write); the write's own error reply (thrown by the reply, as for any
 * call: {@code NOREPLICAS}, {@code READONLY} are "not serving" outages). A {@link WriteKind#MAYBE_DONE} write is
 * preceded by a barrier ({@code SET <prefix>:_sys:replicated:{<tag>} 1 PX 10000}, in the write's hash slot), so the
 * {@code WAIT} covers whatever earlier write put the effect there. NOSCRIPT loads the script on that node and sends
 * the pipeline again; a Cluster {@code MOVED} refreshes the slot map (through a keyed read the client routes) and
 * sends it once more; anything else redirected fails as unavailable, applied nowhere.
 */
final class ReplicatedWrites {
    /** How long a barrier key lives (it only has to be written; nobody reads it). */
    static final long BARRIER_TTL_MS = 10_000;
    private static final SetParams BARRIER = SetParams.setParams().px(BARRIER_TTL_MS);

    private final int replicas;
    private final Duration timeout;
    private final String barrierPrefix;
    private final String target;
    /** Counts the writes not confirmed (null with metrics off). */
    private final Counter notConfirmed;

    private ReplicatedWrites(RedisCrewConfig config, Counter notConfirmed) {
        this.replicas = config.durabilityReplicas();
        this.timeout = config.durabilityTimeout();
        this.barrierPrefix = config.keyPrefix() + ":_sys:replicated:";
        this.target = config.target();
        this.notConfirmed = notConfirmed;
    }

    /**
     * The writes of {@code config}, or null when {@code redis.crew.durability.replicas} is 0 (off); each write not
     * confirmed increments {@code notConfirmed} (null: not counted).
     */
    static ReplicatedWrites of(RedisCrewConfig config, Counter notConfirmed) {
        return config.durabilityReplicas() > 0 ? new ReplicatedWrites(config, notConfirmed) : null;
    }

    int replicas() {
        return replicas;
    }

    /** EVALSHA of {@code script} and WAIT on one connection; NOSCRIPT loads the script there and sends both again. */
    Object eval(UnifiedJedis client, LuaScript script, List<String> keys, List<String> args, WriteKind kind) {
        String sha = script.sha1();
        return write(client, keys.get(0), p -> {
            Response<Object> r = p.evalsha(sha, keys, args);
            return r::get;
        }, script, kind);
    }

    /**
     * Runs {@code write} (commands of {@code key}'s slot) and WAIT in one pipeline on one connection.
     *
     * @param script the script the write runs by EVALSHA, loaded on NOSCRIPT (null: none)
     * @throws NotReplicatedException fewer than N replicas acknowledged within the timeout
     */
    <T> T write(UnifiedJedis client, String key, PipelinedWrite<T> write, LuaScript script, WriteKind kind) {
        for (int attempt = 0;; attempt++) {
            Supplier<T> reply;
            Response<String> barrier = null;
            Response<Long> acks;
            try (AbstractPipeline p = open(client, key)) {
                reply = write.queue(p);
                if (kind == WriteKind.MAYBE_DONE) {
                    barrier = p.set(barrierKey(key), "1", BARRIER);
                }
                acks = p.waitReplicas(key, replicas, timeout.toMillis());
            }
            T value;
            try {
                value = reply.get();
                if (barrier != null) {
                    barrier.get(); // an error reply (READONLY, MOVED, ...) throws: the WAIT would not cover the write
                }
            } catch (JedisNoScriptException e) {
                if (script == null || attempt > 0) {
                    throw e;
                }
                String sha = client.scriptLoad(script.source(), key);
                if (!script.sha1().equals(sha)) {
                    throw new RedisDataException("SCRIPT LOAD of " + script + " returned SHA " + sha, null);
                }
                continue;
            } catch (JedisRedirectionException e) {
                if (e instanceof JedisMovedDataException && attempt == 0) {
                    client.exists(key); // routed by the client, which follows MOVED and refreshes its slot map
                    continue;
                }
                throw new RedisUnavailableException("Redis at " + target + " redirected a write (" + e.getMessage()
                        + "): the slot is moving; nothing was written, retry", e, false);
            }
            long acknowledged = acks.get();
            if (acknowledged < replicas) {
                if (notConfirmed != null) {
                    notConfirmed.increment();
                }
                throw new NotReplicatedException(NotReplicatedException.describe(target, acknowledged, replicas, timeout),
                        acknowledged, replicas, value);
            }
            return value;
        }
    }

    /** A pipeline on one connection: the master's, or on Cluster the node's that serves {@code key}'s slot. */
    private static AbstractPipeline open(UnifiedJedis client, String key) {
        if (client instanceof RedisClusterClient cc) {
            return new Pipeline(cc.getConnectionFromSlot(JedisClusterCRC16.getSlot(key)), true);
        }
        return client.pipelined();
    }

    /** {@code <prefix>:_sys:replicated:{<tag>}}: in {@code key}'s hash slot (its tag, or the whole key without one). */
    String barrierKey(String key) {
        int open = key.indexOf('{');
        if (open < 0) {
            return barrierPrefix + "{" + key + "}";
        }
        int close = key.indexOf('}', open + 1);
        if (close > open + 1) {
            return barrierPrefix + key.substring(open, close + 1);
        }
        throw new IllegalArgumentException("key " + key + " has a brace but no hash tag: no barrier key shares its slot");
    }
}
