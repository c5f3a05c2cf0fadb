package io.mcpcrew.crew.metrics;

import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The metrics contract on a master watched by a Sentinel: INFO and the reads go to the master. */
@ExtendWith(RedisServerExtension.class)
class MetricsSentinelIT extends MetricsContract {
    private RedisSentinel sentinel;

    @BeforeEach
    void sentinel(RedisSentinel sentinel) {
        this.sentinel = sentinel;
    }

    @Override
    Map<String, String> connection() {
        return sentinel.managerConfig();
    }

    @Override
    void flush() {
        sentinel.master().flushAll();
    }

    @Override
    void configSet(String parameter, String value) {
        sentinel.master().command("CONFIG", "SET", parameter, value);
    }
}
