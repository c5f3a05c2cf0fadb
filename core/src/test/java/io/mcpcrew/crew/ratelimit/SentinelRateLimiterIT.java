package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.testing.RedisSentinel;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The rate limiter contract with Redis found through a private Sentinel: every check is decided on its master. */
class SentinelRateLimiterIT extends RateLimiterContract {
    private static RedisSentinel sentinel;

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinel.start();
    }

    @AfterAll
    static void stopSentinel() {
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @BeforeEach
    void empty() {
        sentinel.master().flushAll();
    }

    @Override
    RedisRateLimiter limiter(Map<String, String> extra) {
        return new RedisRateLimiter(redisManager(Map.of("redis.crew.mode", "sentinel", "redis.crew.nodes",
                sentinel.sentinelsSpec(), "redis.crew.sentinel.master", RedisSentinel.MASTER_NAME), extra));
    }

    @Override
    Stored stored() {
        return Stored.on(sentinel.master());
    }
}
