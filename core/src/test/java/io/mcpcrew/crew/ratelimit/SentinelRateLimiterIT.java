package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rate limiter contract with Redis found through a private Sentinel: every check is decided on its master. */
@ExtendWith(RedisServerExtension.class)
class SentinelRateLimiterIT extends RateLimiterContract implements StoredQuotaContract, StoredUsageContract {
    private static RedisSentinel sentinel;

    @BeforeAll
    static void setUpSentinel(RedisSentinel started) {
        sentinel = started;
    }

    @BeforeEach
    void empty() {
        sentinel.master().flushAll();
    }

    @Override
    public RedisRateLimiter limiter(Map<String, String> extra) {
        return new RedisRateLimiter(redisManager(sentinel.managerConfig(), extra));
    }

    @Override
    public Stored stored() {
        return Stored.on(sentinel.master());
    }
}
