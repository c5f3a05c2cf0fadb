package io.mcpcrew.crew.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Sends the calls of one node of a {@link RedisManager#pipelineByKey} batch as one pipeline and collects each call's
 * reply or error; when a reply is NOSCRIPT it loads the batch's scripts on that node and sends the batch once more.
 */
final class KeyedPipelines {
    private KeyedPipelines() {
    }

    /**
     * @param open     a pipeline on the node (closed here)
     * @param load     loads a script on the node (SCRIPT LOAD), one round trip
     * @param errors   what an error reply becomes
     * @param trips    incremented by the round trips taken
     */
    static List<Object> send(Supplier<AbstractPipeline> open, java.util.function.Consumer<LuaScript> load,
            List<KeyedCall> calls, Function<JedisDataException, RuntimeException> errors, int[] trips) {
        for (int attempt = 0;; attempt++) {
            List<Response<?>> rs = new ArrayList<>(calls.size());
            try (AbstractPipeline p = open.get()) {
                for (KeyedCall c : calls) {
                    rs.add(c.call().queue(p));
                }
                p.sync();
            }
            trips[0]++;
            List<Object> out = new ArrayList<>(calls.size());
            boolean noScript = false;
            for (Response<?> r : rs) {
                try {
                    out.add(r.get());
                } catch (JedisNoScriptException e) {
                    noScript = true;
                    out.add(errors.apply(e));
                } catch (JedisDataException e) {
                    out.add(errors.apply(e));
                }
            }
            if (!noScript || attempt > 0) {
                return out;
            }
            Set<LuaScript> scripts = new LinkedHashSet<>();
            calls.forEach(c -> {
                if (c.script() != null) {
                    scripts.add(c.script());
                }
            });
            if (scripts.isEmpty()) {
                return out;
            }
            for (LuaScript s : scripts) {
                load.accept(s);
                trips[0]++;
            }
        }
    }
}
