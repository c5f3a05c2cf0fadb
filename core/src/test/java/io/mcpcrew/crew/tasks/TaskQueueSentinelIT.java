package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The TaskQueue contract in Sentinel mode: the manager finds the master through a private Sentinel (one master,
 * one Sentinel, started for this class) and runs every script and worker on it.
 */
@ExtendWith(RedisServerExtension.class)
class TaskQueueSentinelIT extends TaskFlowContract {
    private static RedisSentinel sentinel;

    @BeforeAll
    static void setUpSentinel(RedisSentinel started) {
        sentinel = started;
    }

    @Override
    Map<String, String> connection() {
        return sentinel.managerConfig();
    }

    @Override
    void flush() {
        sentinel.master().flushAll();
    }
}
