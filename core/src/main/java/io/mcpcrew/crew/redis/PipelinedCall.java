package io.mcpcrew.crew.redis;

import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.Response;

/**
 * One command queued on a Jedis pipeline, for {@link RedisManager#coalesce}: e.g. {@code p -> p.hgetAll(key)}.
 * It must queue exactly one command and do nothing else (it may run on another caller's thread).
 */
@FunctionalInterface
public interface PipelinedCall<T> {
    Response<T> queue(PipeliningBase pipeline);
}
