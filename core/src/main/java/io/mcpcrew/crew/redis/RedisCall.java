package io.mcpcrew.crew.redis;

import redis.clients.jedis.UnifiedJedis;

/** Work done with the application's one Jedis client, run by {@link RedisManager#execute}. */
@FunctionalInterface
public interface RedisCall<T> {
    T apply(UnifiedJedis jedis);
}
