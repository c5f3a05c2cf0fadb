package io.mcpcrew.crew.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedReadTest {
    @Test
    void aReadThatOutlastsTheBoundIsJoinedThenAnswersTheNextCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        try (BoundedRead<Integer> r = new BoundedRead<>(() -> {
            int n = started.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
            return n;
        }, Duration.ofMillis(50))) {
            assertEquals(Optional.empty(), r.get(), "the read hangs: no answer within the bound");
            assertEquals(Optional.empty(), r.get(), "still hanging");
            assertEquals(1, started.get(), "the second caller joined the read under way");

            release.countDown();
            while (finished.get() == 0) {
                Thread.sleep(5);
            }
            assertEquals(Optional.of(1), r.get(), "the finished read answers the next caller");
            assertEquals(1, started.get(), "without a read of its own");
            assertEquals(Optional.of(2), r.get(), "a result once delivered is not given again: a new read");
            assertEquals(2, started.get());
        }
    }

    @Test
    void aFailingReadSaysWhy() {
        AtomicInteger reads = new AtomicInteger();
        try (BoundedRead<Integer> r = new BoundedRead<>(() -> {
            reads.incrementAndGet();
            throw new IllegalArgumentException("no such server");
        }, Duration.ofSeconds(5))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, r::get);
            assertTrue(e.getMessage().contains("no such server"), e.getMessage());
            assertThrows(IllegalStateException.class, r::get, "a new read, failing again");
            assertEquals(2, reads.get());
        }
    }
}
