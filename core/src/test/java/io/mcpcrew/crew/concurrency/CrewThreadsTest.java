package io.mcpcrew.crew.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** CrewThreads outside a container (no JNDI here): daemon threads named {@code crew-<purpose>-<n>}. */
class CrewThreadsTest {
    private static final String NAME = "crew-%s-\\d+";

    @Test
    void outsideAContainerThreadsAreNamedDaemonThreads() throws Exception {
        assertFalse(CrewThreads.managed(), "no JNDI in a unit test: no container");
        assertTrue(CrewThreads.managedScheduler().isEmpty());
        AtomicReference<String> ranOn = new AtomicReference<>();
        Thread t = CrewThreads.newThread("unit", () -> ranOn.set(Thread.currentThread().getName()));
        assertTrue(t.isDaemon(), "a daemon thread never keeps the process alive");
        assertTrue(t.getName().matches(String.format(NAME, "unit")), t.getName());
        t.start();
        t.join(5_000);
        assertEquals(t.getName(), ranOn.get());
        Thread next = CrewThreads.factory("unit").newThread(() -> { });
        assertTrue(next.getName().matches(String.format(NAME, "unit")), next.getName());
        assertNotEquals(t.getName(), next.getName(), "every thread has its own number");
    }

    @Test
    void poolsAndSchedulersRunOnTheirOwnNamedThreads() throws Exception {
        ExecutorService pool = CrewThreads.pool("unit-pool", 3);
        Set<String> names = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (int i = 0; i < 3; i++) {
                pool.execute(() -> {
                    names.add(Thread.currentThread().getName() + " daemon=" + Thread.currentThread().isDaemon());
                    all.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(all.await(5, TimeUnit.SECONDS), "three tasks at once on a pool of three");
            assertEquals(3, names.size(), names.toString());
            assertTrue(names.stream().allMatch(n -> n.matches(String.format(NAME, "unit-pool") + " daemon=true")),
                    names.toString());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        ScheduledExecutorService scheduler = CrewThreads.scheduler("unit-timer");
        try {
            String name = scheduler.schedule(() -> Thread.currentThread().getName(), 1, TimeUnit.MILLISECONDS)
                    .get(5, TimeUnit.SECONDS);
            assertTrue(name.matches(String.format(NAME, "unit-timer")), name);
        } finally {
            scheduler.shutdownNow();
        }
        assertTrue(List.of(pool, scheduler).stream().allMatch(ExecutorService::isShutdown));
    }
}
