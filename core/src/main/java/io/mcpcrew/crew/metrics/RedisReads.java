package io.mcpcrew.crew.metrics;

import io.mcpcrew.crew.redis.KeyedCall;
import io.mcpcrew.crew.redis.PipelineReplies;
import io.mcpcrew.crew.redis.RedisCall;
import io.mcpcrew.crew.redis.RedisManager;
import java.util.List;
import java.util.Map;

/**
 * The Redis access of one read of the gauges ({@link RedisReader}): every call goes through the manager (breaker,
 * timeouts) and is counted, so that a read reports its round trips and commands.
 */
public final class RedisReads {
    private final RedisManager redis;
    private int roundTrips;
    private long commands;
    private final java.util.Map<String, Boolean> registries = new java.util.HashMap<>();

    RedisReads(RedisManager redis) {
        this.redis = redis;
    }

    public RedisManager redis() {
        return redis;
    }

    /** One command: one round trip. */
    public <T> T execute(RedisCall<T> call) {
        roundTrips++;
        commands++;
        return redis.execute(call);
    }

    /** {@code INFO} of every node: one round trip per node. */
    public Map<String, String> serverInfo() {
        Map<String, String> info = redis.serverInfo();
        roundTrips += info.size();
        commands += info.size();
        return info;
    }

    /** One pipeline per node ({@link RedisManager#pipelineByKey}). */
    public PipelineReplies pipeline(List<KeyedCall> calls) {
        if (calls.isEmpty()) {
            return new PipelineReplies(List.of(), 0);
        }
        PipelineReplies r = redis.pipelineByKey(calls);
        roundTrips += r.roundTrips();
        commands += calls.size();
        return r;
    }

    /**
     * Tells the reads that a registry key (of queues, streams) was read and whether it holds anything: the memory
     * watch then needs no round trip of its own to know whether work lives in this Redis.
     */
    public void registryRead(String key, boolean nonEmpty) {
        registries.merge(key, nonEmpty, Boolean::logicalOr);
    }

    /** What a reader found in a registry key: empty when no reader read it. */
    java.util.Optional<Boolean> registry(String key) {
        return java.util.Optional.ofNullable(registries.get(key));
    }

    public int roundTrips() {
        return roundTrips;
    }

    public long commands() {
        return commands;
    }
}
