package io.mcpcrew.crew.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis that comes back by loading its data set answers {@code -LOADING} to commands for as long as that takes. A
 * node must treat that reply as Redis being unavailable, not as bad data: writes made meanwhile are accepted by the
 * fallback and written back once the data set is loaded, none refused or dropped.
 */
class RedisLoadingIT {
    /** Keys in the saved data set; at {@link #DELAY_MICROS} each the load takes about 2 s. */
    static final int KEYS = 10_000;
    static final int DELAY_MICROS = 200;

    @TempDir
    Path journal;

    @Test
    void writesMadeWhileTheDataSetLoadsAreKeptAndWrittenBackAfterIt() throws Exception {
        // key-load-delay: the server sleeps this long per key while loading; it answers LOADING between 1 KiB steps
        try (RedisServer server = RedisServer.onFreePort("--key-load-delay", String.valueOf(DELAY_MICROS),
                "--loading-process-events-interval-bytes", "1024").start()) {
            server.command("EVAL", "for i = 1, " + KEYS + " do redis.call('SET', 'fill:' .. i, 'x') end", "0");
            server.command("SAVE");
            server.stop();
            CompletableFuture<RedisServer> loading = CompletableFuture.supplyAsync(server::start);
            awaitLoading(server);
            // a node that has not seen Redis fail: its breaker is closed, its first replies are LOADING
            try (FallbackNode n = new FallbackNode(server, journal, Map.of(), null)) {
                FallbackWriteBackIT.Accepted a = FallbackWriteBackIT.writeDuringOutage(n);
                assertTrue(server.command("PING").startsWith("-LOADING"), "the writes met a loading server");
                loading.get();
                String log = Files.readString(server.directory().resolve("redis.log"));
                assertTrue(log.contains("DB loaded from disk"), "the server loaded the saved data set: " + log);

                assertTrue(n.drainedWithin(Duration.ofSeconds(10)), "written back after the load; pending: " + n.pending());
                new FallbackWriteBackIT().assertAllInRedis(n, a);
                assertEquals(":" + KEYS, server.command("EVAL", "return #redis.call('KEYS', 'fill:*')", "0"),
                        "the saved data set is intact");
            }
        }
    }

    /** Waits until the restarted server accepts connections and answers LOADING. */
    private static void awaitLoading(RedisServer server) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            try {
                last = server.command("PING");
                if (last.startsWith("-LOADING")) {
                    return;
                }
            } catch (IllegalStateException notListeningYet) {
                last = notListeningYet.getMessage();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the server never answered LOADING; last reply: " + last);
    }
}
