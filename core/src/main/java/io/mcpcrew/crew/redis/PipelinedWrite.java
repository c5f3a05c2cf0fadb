package io.mcpcrew.crew.redis;

import java.util.function.Supplier;
import redis.clients.jedis.PipeliningBase;

/**
 * Commands of one write queued on a pipeline, for {@link RedisManager#executeReplicated}: e.g.
 * {@code p -> p.xadd(key, params, fields)::get}. It queues its commands (all of one hash slot) and returns what
 * reads their replies once the pipeline is synced; a reply that is an error throws from there.
 */
@FunctionalInterface
public interface PipelinedWrite<T> {
    Supplier<T> queue(PipeliningBase pipeline);
}
