package io.mcpcrew.crew.listing;

import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The listing contract in Sentinel mode: the master found through a private Sentinel is the one master walked. */
@ExtendWith(RedisServerExtension.class)
class ListingSentinelIT extends ListingContract {
    private static RedisSentinel sentinel;

    @BeforeAll
    static void setUpSentinel(RedisSentinel started) {
        sentinel = started;
    }

    @BeforeEach
    void openManager() {
        open();
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
    int masters() {
        return 1;
    }
}
