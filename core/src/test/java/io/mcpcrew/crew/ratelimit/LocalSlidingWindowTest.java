package io.mcpcrew.crew.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-node fallback window, on a hand-driven clock. */
class LocalSlidingWindowTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final LocalSlidingWindow local = new LocalSlidingWindow(3, clock::get);
    private static final Duration W = Duration.ofMillis(100);

    @Test
    void admitsUpToTheLimitAndRetryAfterPointsAtTheOldestUnits() {
        assertTrue(local.tryAcquire("k", 3, W, 2).allowed());
        clock.addAndGet(10_000_000);
        RateLimitDecision b = local.tryAcquire("k", 3, W, 1);
        assertTrue(b.allowed());
        assertEquals(0, b.remaining());
        assertEquals(Duration.ofMillis(90), b.resetAfter());
        clock.addAndGet(10_000_000);
        RateLimitDecision c = local.tryAcquire("k", 3, W, 2);
        assertFalse(c.allowed());
        assertEquals(DecidedBy.LOCAL_FALLBACK, c.decidedBy());
        assertEquals(Duration.ofMillis(80), c.retryAfter(), "the two oldest units leave at t0 + 100ms");
        clock.addAndGet(80_000_000);
        assertTrue(local.tryAcquire("k", 3, W, 2).allowed());
        assertFalse(local.tryAcquire("k", 3, W, 4).allowed(), "a cost above the share never passes");
    }

    @Test
    void neverAdmitsMoreThanTheLimitInAnyWindow() {
        Random rnd = new Random(42);
        List<Long> admitted = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            clock.addAndGet(rnd.nextInt(3_000_000));
            int cost = 1 + rnd.nextInt(3);
            if (local.tryAcquire("k", 10, W, cost).allowed()) {
                for (int u = 0; u < cost; u++) {
                    admitted.add(clock.get());
                }
            }
        }
        assertTrue(admitted.size() > 1000);
        for (int i = 0; i + 10 < admitted.size(); i++) {
            assertTrue(admitted.get(i + 10) - admitted.get(i) >= W.toNanos(), "11 units within a window at " + i);
        }
    }

    @Test
    void keepsAtMostMaxKeysDroppingExpiredOnesFirst() {
        local.tryAcquire("a", 1, W, 1);
        local.tryAcquire("b", 1, Duration.ofSeconds(10), 1);
        local.tryAcquire("c", 1, Duration.ofSeconds(10), 1);
        clock.addAndGet(200_000_000);
        local.tryAcquire("d", 1, W, 1);
        assertEquals(3, local.size());
        assertFalse(local.tryAcquire("b", 1, Duration.ofSeconds(10), 1).allowed(), "b was kept, a was dropped");
        local.clear();
        assertEquals(0, local.size());
    }
}
