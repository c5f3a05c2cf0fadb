package io.mcpcrew.crew.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The events contract through Redis Sentinel: the manager asks a private Sentinel for the master and uses it. */
@ExtendWith(RedisServerExtension.class)
class SentinelEventsIT extends EventsContract {
    private static RedisSentinel sentinel;

    @BeforeAll
    static void setUpSentinel(RedisSentinel started) {
        sentinel = started;
    }

    @Override
    Map<String, String> topology() {
        return sentinel.managerConfig();
    }

    @BeforeEach
    void empty() {
        sentinel.master().flushAll();
    }

    @Test
    void streamsLiveOnTheMasterTheSentinelNames() {
        TenantEvents t = events().forTenant("t1");
        List<String> ids = t.publishAll(numbered(0, 3), "orders");
        String key = "crew:t1:events:{t1.orders}";
        assertEquals(":3", sentinel.master().command("XLEN", key).trim());
        String last = sentinel.master().command("XREVRANGE", key, "+", "-", "COUNT", "1");
        assertEquals(ids.get(2), last.lines().findFirst().orElseThrow(), last);
    }
}
