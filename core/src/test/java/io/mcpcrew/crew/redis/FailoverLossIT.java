package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.testing.RedisSentinel;
import io.mcpcrew.crew.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisSentinelClient;

/**
 * What a fail-over costs the tasks the application acknowledged: a master with one replica and a Sentinel, a
 * {@link JedisRedisManager} in Sentinel mode (fallback on, as deployed) and 4 threads enqueuing one task at a time with
 * a 1 ms pause (10 ms after an error, as a client that honours Retry-After briefly); mid-load
 * the master fails over ({@code SENTINEL FAILOVER}, or {@code kill -9} of the master), the load runs on until the
 * client has switched to the new master and 2 s more, the old master comes back as a replica of the new one (the
 * Sentinel turns it, or it is started again), writes accepted by the local fallback are written back, and every task
 * id an enqueue returned is looked for on the new master.
 *
 * <p>With {@code redis.crew.durability.replicas=1} no acknowledged task may be missing: an enqueue the replica did not
 * confirm throws (an error the caller sees, not a loss). With durability off, the tasks the old master took after the
 * promotion and answered are lost; how many depends on timing, so the test prints the measurement
 * ({@code durability off (...): acknowledged N, lost M}) and asserts no number.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard; each case takes about 10-25 s
class FailoverLossIT {
    private static final int THREADS = 4;
    private static final Duration LOAD_BEFORE = Duration.ofSeconds(1);
    private static final Duration LOAD_AFTER_SWITCH = Duration.ofSeconds(2);

    @Test
    void durabilityOffLosesWhatTheOldMasterTookAfterThePromotion() throws Exception {
        Outcome o = run(0, Failure.SENTINEL_FAILOVER);
        System.out.println("durability off (SENTINEL FAILOVER): " + o);
        assertTrue(o.acknowledged > 0, "the load ran: " + o);
    }

    @Test
    void durabilityOnLosesNoAcknowledgedTaskInAFailover() throws Exception {
        Outcome o = run(1, Failure.SENTINEL_FAILOVER);
        System.out.println("durability on, replicas=1 (SENTINEL FAILOVER): " + o);
        assertTrue(o.acknowledged > 0, "the load ran: " + o);
        assertEquals(0, o.lost, "acknowledged tasks missing on the new master: " + o);
    }

    @Test
    void durabilityOffLosesWhatTheKilledMasterDidNotReplicate() throws Exception {
        Outcome o = run(0, Failure.KILL_MASTER);
        System.out.println("durability off (kill -9 of the master): " + o);
        assertTrue(o.acknowledged > 0, "the load ran: " + o);
    }

    @Test
    void durabilityOnLosesNoAcknowledgedTaskWhenTheMasterIsKilled() throws Exception {
        Outcome o = run(1, Failure.KILL_MASTER);
        System.out.println("durability on, replicas=1 (kill -9 of the master): " + o);
        assertTrue(o.acknowledged > 0, "the load ran: " + o);
        assertEquals(0, o.lost, "acknowledged tasks missing on the new master: " + o);
    }

    private enum Failure { SENTINEL_FAILOVER, KILL_MASTER }

    /** What one run measured; {@code refused}: enqueues answered with an error (the caller knows to retry). */
    private record Outcome(int acknowledged, int lost, int refused, int acknowledgedInWindow, long windowMillis) {
        @Override
        public String toString() {
            return "acknowledged " + acknowledged + ", lost " + lost + " (refused with an error " + refused
                    + "; from the fail-over's start to the client's switch: " + windowMillis + " ms, "
                    + acknowledgedInWindow + " acknowledged)";
        }
    }

    private Outcome run(int replicas, Failure failure) throws Exception {
        Map<String, String> c = new HashMap<>(Map.of("redis.crew.breaker.open-duration", "200ms",
                "redis.crew.breaker.probe-interval", "50ms", "redis.crew.timeout", "1s", "redis.crew.pool.max-total", "16",
                "redis.crew.fallback.journal.enabled", "false", "redis.crew.durability.replicas", String.valueOf(replicas),
                "redis.crew.durability.timeout", "300ms"));
        try (RedisSentinel sentinel = RedisSentinel.startWithReplicas(1)) {
            c.putAll(sentinel.managerConfig());
            try (JedisRedisManager redis = new JedisRedisManager(io.mcpcrew.crew.config.RedisCrewConfig.load(c), null)) {
                return run(sentinel, redis, failure);
            }
        }
    }

    private Outcome run(RedisSentinel sentinel, JedisRedisManager redis, Failure failure) throws Exception {
        RedisTaskQueues queues = new RedisTaskQueues(redis);
        RedisServer oldMaster = sentinel.master();
        Load load = new Load(queues.forTenant("t1").queue("load"));
        Thread.sleep(LOAD_BEFORE.toMillis());
        load.window.set(true);
        long windowStart = System.nanoTime();
        RedisServer newMaster;
        if (failure == Failure.SENTINEL_FAILOVER) {
            newMaster = sentinel.failover();
        } else {
            oldMaster.stop(); // SIGKILL
            newMaster = sentinel.awaitMasterOtherThan(oldMaster.port(), Duration.ofSeconds(30));
        }
        int newPort = newMaster.port();
        awaitTrue(() -> redis.clientIfCreated() instanceof RedisSentinelClient sc
                && sc.getCurrentMaster().getPort() == newPort, Duration.ofSeconds(30), "the client switched");
        load.window.set(false);
        long windowMillis = (System.nanoTime() - windowStart) / 1_000_000;
        Thread.sleep(LOAD_AFTER_SWITCH.toMillis());
        load.stop();
        assertEquals(List.of(), load.unexpected, "only acknowledgements and retryable errors");

        if (failure == Failure.SENTINEL_FAILOVER) { // the Sentinel turns the old master into a replica
            awaitTrue(() -> oldMaster.command("INFO", "replication").contains("master_port:" + newPort)
                    && oldMaster.command("INFO", "replication").contains("master_link_status:up"),
                    Duration.ofSeconds(45), "the old master replicates the new one");
        } else {
            sentinel.restartAsReplica(oldMaster);
        }
        awaitTrue(() -> queues.bufferedTasks() == 0, Duration.ofSeconds(30), "tasks accepted locally written back");

        Set<String> held = new HashSet<>();
        for (String key : newMaster.scanKeys("crew:t1:tasks:{t1.load}:task:*")) {
            held.add(key.substring(key.lastIndexOf(':') + 1));
        }
        Set<String> lost = new HashSet<>(load.acknowledged);
        lost.removeAll(held);
        return new Outcome(load.acknowledged.size(), lost.size(), load.refused.get(), load.inWindow.size(),
                windowMillis);
    }

    /** {@link #THREADS} threads enqueuing one task at a time, recording every id an enqueue returned. */
    private static final class Load {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Set<String> inWindow = ConcurrentHashMap.newKeySet();
        final AtomicInteger refused = new AtomicInteger();
        final List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean window = new AtomicBoolean();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Load(TaskQueue q) {
            for (int i = 0; i < THREADS; i++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        boolean during = window.get();
                        try {
                            String id = q.enqueue("load", "{}", TaskPriority.NORMAL);
                            acknowledged.add(id);
                            if (during) {
                                inWindow.add(id);
                            }
                        } catch (RedisUnavailableException e) {
                            refused.incrementAndGet(); // 503 with Retry-After: the caller retries
                            pause(10);
                        } catch (Throwable e) {
                            unexpected.add(e);
                        }
                        pause(1);
                    }
                }, "failover-load-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        /** Stops the threads and waits for their last calls (each ends within the socket timeout). */
        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(10_000);
                assertTrue(!t.isAlive(), t.getName() + " still runs");
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true after " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
