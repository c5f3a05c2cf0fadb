package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Automatic pipelining ({@link RedisManager#coalesce}, {@link RedisManager#evalItem}) against a real redis-server:
 * every caller gets its own reply, round trips are shared, merged script runs keep each item's outcome, and
 * NOSCRIPT, data errors and outages reach the right callers.
 */
@ExtendWith(RedisServerExtension.class)
class CoalescerIT {
    /** KEYS[i] gets INCRBY ARGV[i]; replies: the new value per key, then #KEYS (shared); 'fail' as increment errors. */
    private static final BatchScript INCR_EACH = new BatchScript(LuaScript.fromResource(CoalescerIT.class,
            "incr_each.lua"), 1, 1, 1, 1);
    private static final int THREADS = 8;
    private static final int PER_THREAD = 2_000;

    private RedisServer server;
    private TestManagers managers;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        this.managers = new TestManagers(server);
        server.ensureRunningAndEmpty();
    }

    @AfterEach
    void tearDown() {
        managers.close();
    }

    private JedisRedisManager manager(Map<String, String> extra) {
        return managers.open(extra);
    }

    /** Runs {@code op(thread, i)} on 8 threads, started together; returns the errors. */
    private static List<Throwable> hammer(IntBiConsumer op) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        op.accept(id, i);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            ts.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        return new ArrayList<>(errors);
    }

    @FunctionalInterface
    interface IntBiConsumer {
        void accept(int thread, int i) throws Exception;
    }

    @Test
    void eachCallerGetsItsOwnReplyAndRoundTripsAreShared() throws Exception {
        JedisRedisManager redis = manager(Map.of());
        List<Throwable> errors = hammer((t, i) -> {
            String key = "c:" + t;
            long v = redis.coalesce(p -> p.incr(key), j -> j.incr(key));
            assertEquals(i + 1, v, "thread " + t + " sees its own counter advance by one per call");
        });
        assertEquals(List.of(), errors);
        for (int t = 0; t < THREADS; t++) {
            assertEquals(String.valueOf(PER_THREAD), server.command("GET", "c:" + t), "no call lost or doubled");
        }
        CoalescingStats bc = redis.coalescing();
        assertTrue(bc.pipelines() > 0 && bc.commands() > bc.pipelines(), "some round trips carried several commands: " + bc);
        assertEquals(2, redis.coalescerFreeLanes(), "both lanes free once every caller has returned");
    }

    @Test
    void lanesArePassedFromCombinerToWaiterAndAllFreeAfterwards() throws Exception {
        for (int lanes : new int[] {1, 3}) {
            JedisRedisManager redis = manager(Map.of("redis.crew.coalesce.lanes", String.valueOf(lanes)));
            String prefix = "lanes" + lanes + ":";
            List<Throwable> errors = hammer((t, i) -> {
                String key = prefix + t;
                assertEquals(i + 1, (long) redis.coalesce(p -> p.incr(key), j -> j.incr(key)));
            });
            assertEquals(List.of(), errors);
            for (int t = 0; t < THREADS; t++) {
                assertEquals(String.valueOf(PER_THREAD), server.command("GET", prefix + t), "no call lost or doubled");
            }
            assertEquals(lanes, redis.coalescerFreeLanes(), "every lane handed on was freed in the end");
            CoalescingStats bc = redis.coalescing();
            assertTrue(bc.commands() > bc.pipelines(), "round trips were shared with " + lanes + " lane(s): " + bc);
        }
    }

    @Test
    void batchScriptItemsAreMergedAndKeepTheirOwnRepliesAndErrors() throws Exception {
        JedisRedisManager redis = manager(Map.of());
        server.command("SET", "wrong", "not a number");
        AtomicInteger merged = new AtomicInteger();
        List<Throwable> errors = hammer((t, i) -> {
            if (t == 0) { // thread 0 only meets the bad key; the others must not notice
                RedisDataException e = org.junit.jupiter.api.Assertions.assertThrows(RedisDataException.class,
                        () -> redis.evalItem(INCR_EACH, List.of(bytes("wrong")), List.of(bytes("1"))));
                assertTrue(e.getMessage().contains("not an integer"), e.getMessage());
                return;
            }
            List<Object> r = redis.evalItem(INCR_EACH, List.of(bytes("s:" + t)), List.of(bytes(String.valueOf(t + 1))));
            assertEquals(2, r.size());
            assertEquals((long) (i + 1) * (t + 1), r.get(0), "thread " + t + ": its own key's value");
            if ((Long) r.get(1) > 1) {
                merged.incrementAndGet();
            }
        });
        assertEquals(List.of(), errors);
        assertTrue(merged.get() > 0, "some runs decided several callers' items");
        assertEquals("not a number", server.command("GET", "wrong"));
    }

    @Test
    void noscriptInABatchIsRetriedByItsOwnerAfterScriptFlush() throws Exception {
        JedisRedisManager redis = manager(Map.of());
        AtomicInteger calls = new AtomicInteger();
        List<Throwable> errors = hammer((t, i) -> {
            if (calls.incrementAndGet() % 1_000 == 0) {
                server.command("SCRIPT", "FLUSH");
            }
            redis.evalItem(INCR_EACH, List.of(bytes("n:" + t)), List.of(bytes("1")));
        });
        assertEquals(List.of(), errors);
        for (int t = 0; t < THREADS; t++) {
            assertEquals(String.valueOf(PER_THREAD), server.command("GET", "n:" + t), "every call ran once");
        }
    }

    @Test
    void anOutageFailsTheWaitingCallersAsRetryableAndRecovers() throws Exception {
        JedisRedisManager redis = manager(Map.of("redis.crew.fallback.enabled", "false"));
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.stop();
        });
        stopper.start();
        hammer((t, i) -> {
            if (i == PER_THREAD - 1) {
                try {
                    stopper.join(); // each thread's last call is made with the server gone, however fast the rest ran
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                redis.coalesce(p -> p.incr("o"), j -> j.incr("o"));
            } catch (RedisUnavailableException e) {
                unavailable.incrementAndGet();
            } catch (RuntimeException e) {
                other.incrementAndGet();
            }
        });
        stopper.join();
        assertTrue(unavailable.get() > 0, "callers saw the outage");
        assertEquals(0, other.get(), "only RedisUnavailableException (retryable)");
        server.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!redis.isAvailable() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(redis.isAvailable());
        Object v = redis.coalesce(p -> p.incr("o"), j -> j.incr("o"));
        assertInstanceOf(Long.class, v);
    }

    @Test
    void aCommandThatCannotBeBuiltFailsOnlyItsCaller() throws Exception {
        JedisRedisManager redis = manager(Map.of());
        AtomicInteger own = new AtomicInteger();
        List<Throwable> errors = hammer((t, i) -> {
            if (t == 0) {
                IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> redis.coalesce(p -> {
                            throw new IllegalArgumentException("bad command " + i);
                        }, j -> {
                            throw new IllegalArgumentException("bad command " + i);
                        }));
                assertTrue(e.getMessage().equals("bad command " + i), "its own error: " + e.getMessage());
                return;
            }
            assertEquals(i + 1L, (long) redis.coalesce(p -> p.incr("b:" + t), j -> j.incr("b:" + t)));
            own.incrementAndGet();
        });
        assertEquals(List.of(), errors);
        assertEquals((THREADS - 1) * PER_THREAD, own.get());
    }

    @Test
    void anInterruptedCallerWaitsWithoutSpinningAndKeepsTheInterrupt() throws Exception {
        JedisRedisManager redis = manager(Map.of("redis.crew.coalesce.lanes", "1"));
        CountDownLatch holding = new CountDownLatch(1);
        Thread holder = new Thread(() -> { // holds the only lane for ~1 s (a blocking pop that times out)
            holding.countDown();
            redis.coalesce(p -> p.blpop(1.0, "nothing"), j -> j.blpop(1.0, "nothing"));
        });
        holder.start();
        holding.await();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!server.command("INFO", "clients").contains("blocked_clients:1") && System.nanoTime() < deadline) {
            Thread.sleep(5); // until the holder's BLPOP is in Redis, holding the lane
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Thread.currentThread().interrupt();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long v = redis.coalesce(p -> p.incr("w"), j -> j.incr("w"));
        long waited = System.nanoTime() - t0;
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        assertTrue(Thread.interrupted(), "the interrupt is handed back");
        holder.join();
        assertEquals(1L, v, "the command ran once");
        assertTrue(waited > 100_000_000L, "it waited for the lane: " + waited / 1_000_000 + " ms");
        assertTrue(cpu < waited / 4, "it parked instead of spinning: " + cpu / 1_000_000 + " ms CPU in "
                + waited / 1_000_000 + " ms");
    }

    @Test
    void disabledCoalescingRunsEveryCallAlone() throws Exception {
        JedisRedisManager redis = manager(Map.of("redis.crew.coalesce.enabled", "false"));
        List<Throwable> errors = hammer((t, i) -> redis.coalesce(p -> p.incr("d"), j -> j.incr("d")));
        assertEquals(List.of(), errors);
        assertEquals(String.valueOf(THREADS * PER_THREAD), server.command("GET", "d"));
        assertEquals(0, redis.coalescing().pipelines());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
