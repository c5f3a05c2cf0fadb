package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.LuaScript;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real {@link JedisRedisManager} that also counts the scripts it sends to Redis, by script: the tests read the
 * Redis work a feature costs (e.g. progress writes, polls of waited tasks) from here.
 */
class CountingRedisManager extends JedisRedisManager {
    private final Map<String, LongAdder> evals = new ConcurrentHashMap<>();

    CountingRedisManager(RedisCrewConfig config) {
        super(config, null);
    }

    @Override
    public Object eval(LuaScript script, List<String> keys, List<String> args) {
        evals.computeIfAbsent(script.name(), k -> new LongAdder()).increment();
        return super.eval(script, keys, args);
    }

    /** How many times {@code script} was sent. */
    long evals(LuaScript script) {
        LongAdder n = evals.get(script.name());
        return n == null ? 0 : n.sum();
    }
}
