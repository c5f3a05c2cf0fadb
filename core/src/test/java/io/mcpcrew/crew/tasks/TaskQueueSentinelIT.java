package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.testing.RedisSentinel;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The TaskQueue contract in Sentinel mode: the manager finds the master through a private Sentinel (one master,
 * one Sentinel, started for this class) and runs every script and worker on it.
 */
class TaskQueueSentinelIT extends TaskQueueContract {
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

    @Override
    Map<String, String> connection() {
        return Map.of("redis.crew.mode", "sentinel", "redis.crew.nodes", sentinel.sentinelsSpec(),
                "redis.crew.sentinel.master", RedisSentinel.MASTER_NAME);
    }

    @Override
    void flush() {
        sentinel.master().flushAll();
    }
}
