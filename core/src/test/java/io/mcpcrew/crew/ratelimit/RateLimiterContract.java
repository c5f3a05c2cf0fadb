package io.mcpcrew.crew.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.InvalidNameException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every backend of {@link TenantRateLimiter} must show: Redis standalone ({@link RedisRateLimiterIT}),
 * Redis Cluster ({@link ClusterRateLimiterIT}), Redis behind Sentinel ({@link SentinelRateLimiterIT}) and the local
 * fallback while Redis is down ({@link FallbackRateLimiterIT}), with the policies of several limits
 * ({@link QuotaContract}) and the usage read ({@link UsageContract}). Each test starts with an empty backend.
 *
 * <p>Decisions on Redis carry the time the window is kept in (the server's {@code TIME}), so there reset and retry
 * times are checked exactly against {@link RateLimitDecision#decidedAt()}. The fallback keeps its windows on this
 * node's monotonic clock, which its decisions do not carry: there the same promises are checked by how the times
 * relate and against the test's own monotonic clock.
 */
abstract class RateLimiterContract implements QuotaContract, UsageContract {
    static final Duration MINUTE = Duration.ofSeconds(60);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A limiter on the backend under test, with {@code extra} {@code redis.crew.*} configuration. */
    public abstract RedisRateLimiter limiter(Map<String, String> extra);

    /** Who decides on this backend. */
    public DecidedBy decider() {
        return DecidedBy.REDIS;
    }

    /** True when {@link RateLimitDecision#decidedAt()} is the time the window is kept in (Redis TIME). */
    public boolean serverTime() {
        return true;
    }

    /** What the limiter keeps in Redis, read directly; null when the backend keeps nothing there (the fallback). */
    public abstract Stored stored();

    /** Direct reads of a Redis topology, bypassing the limiter. */
    interface Stored {
        /** Sends a command whose second word is a key (of MEMORY USAGE: third) to the node holding it; the raw RESP reply. */
        String command(String... args);

        /** Every key matching a glob pattern, sorted. */
        List<String> keys(String pattern);

        /** TTL of a key in seconds: -1 none, -2 missing. */
        default long ttl(String key) {
            return Long.parseLong(command("TTL", key).substring(1).trim());
        }

        static Stored on(RedisServer server) {
            return new Stored() {
                @Override
                public String command(String... args) {
                    return server.command(args);
                }

                @Override
                public List<String> keys(String pattern) {
                    return server.scanKeys(pattern).stream().sorted().toList();
                }
            };
        }
    }

    /**
     * A manager with the settings of the tests (a breaker that opens and recovers quickly: 200 ms open, 50 ms
     * probe; a 1 s timeout; no fallback journal), the backend's {@code topology} keys and a test's {@code extra}
     * ones; closed after the test.
     */
    JedisRedisManager redisManager(Map<String, String> topology, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(Map.of("redis.crew.breaker.open-duration", "200ms",
                "redis.crew.breaker.probe-interval", "50ms", "redis.crew.timeout", "1s",
                "redis.crew.pool.max-total", "16", "redis.crew.fallback.journal.enabled", "false"));
        c.putAll(topology);
        c.putAll(extra);
        JedisRedisManager m = new JedisRedisManager(RedisCrewConfig.load(c), null);
        toClose.add(m);
        return m;
    }

    @AfterEach
    void closeManagers() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
    }

    static long micros(Instant i) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, i);
    }

    static void assertMessage(Class<? extends Throwable> type, String fragment, Runnable r) {
        Throwable e = assertThrows(type, r::run);
        assertTrue(e.getMessage().contains(fragment), "message should contain " + fragment + ": " + e.getMessage());
    }

    static <T> T await(Supplier<T> s, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = s.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                // Redis coming back: try again
            }
            Thread.sleep(20);
        }
        throw new AssertionError("condition not reached in 20 s, last: " + last);
    }

    /** A worker's body: thread {@code i} of a run, which may throw. */
    interface Worker {
        void run(int i) throws Exception;
    }

    /** Runs {@code n} threads and fails with the first error one of them met. */
    static void runThreads(int n, Worker body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int id = i;
            Thread th = new Thread(() -> {
                try {
                    body.run(id);
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(120_000);
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("worker failed: " + errors.get(0), errors.get(0));
        }
    }

    @Test
    void admitsUpToTheLimitThenRefusesWithExactRemainingResetAndRetry() {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        assertEquals("t1", t.tenant());
        Duration window = Duration.ofSeconds(30);
        RateLimitDecision first = t.tryAcquire("api", 3, window);
        assertTrue(first.allowed());
        assertEquals(decider(), first.decidedBy());
        assertEquals(2, first.remaining());
        assertEquals(3, first.limit());
        assertEquals(window, first.window());
        assertEquals(window, first.resetAfter(), "the only unit leaves the window one window from now");
        assertEquals(Duration.ZERO, first.retryAfter());
        RateLimitDecision second = t.tryAcquire("api", 3, window);
        assertEquals(1, second.remaining());
        assertTrue(t.checkLimit("api", 3, window));
        RateLimitDecision denied = t.tryAcquire("api", 3, window);
        assertFalse(denied.allowed());
        assertEquals(decider(), denied.decidedBy());
        assertEquals(0, denied.remaining());
        assertEquals(denied.resetAfter(), denied.retryAfter(), "the oldest unit leaving frees room for one");
        if (serverTime()) {
            long expected = micros(first.decidedAt()) + window.toNanos() / 1000 - micros(denied.decidedAt());
            assertEquals(expected, denied.retryAfter().toNanos() / 1000, "retryAfter = oldest + window - now");
            assertEquals(expected, denied.resetAfter().toNanos() / 1000);
        }
        assertTrue(denied.retryAfter().compareTo(Duration.ZERO) > 0 && denied.retryAfter().compareTo(window) < 0);
        assertFalse(t.checkLimit("api", 3, window));
        Stored redis = stored();
        if (redis != null) {
            assertEquals(List.of("crew:t1:ratelimit:api"), redis.keys("crew:t1:ratelimit:*"));
            assertEquals(":3", redis.command("LLEN", "crew:t1:ratelimit:api"), "a refusal is not counted");
            long ttl = redis.ttl("crew:t1:ratelimit:api");
            assertTrue(ttl >= 29 && ttl <= 90, "ttl from one to three windows: " + ttl);
        }
    }

    @Test
    void costCountsUnitsAndRetryAfterWaitsForEnoughUnits() {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Duration window = Duration.ofSeconds(60);
        RateLimitDecision a = t.tryAcquire("tokens", 10, window, 4);
        assertTrue(a.allowed());
        assertEquals(6, a.remaining());
        RateLimitDecision b = t.tryAcquire("tokens", 10, window, 4);
        assertTrue(b.allowed());
        assertEquals(2, b.remaining());
        RateLimitDecision c = t.tryAcquire("tokens", 10, window, 4);
        assertFalse(c.allowed());
        assertEquals(2, c.remaining());
        // 2 more units must leave: the 2 oldest are both from request a
        assertEquals(c.resetAfter(), c.retryAfter(), "the units that must leave are a's, the oldest");
        RateLimitDecision d = t.tryAcquire("tokens", 10, window, 7);
        assertFalse(d.allowed());
        // 5 more units must leave: 4 from a, then the 5th oldest is from b
        assertTrue(d.retryAfter().compareTo(d.resetAfter()) > 0, "the 5th oldest unit is b's, younger than a's");
        if (serverTime()) {
            assertEquals(micros(a.decidedAt()) + 60_000_000L - micros(c.decidedAt()), c.retryAfter().toNanos() / 1000);
            assertEquals(micros(b.decidedAt()) + 60_000_000L - micros(d.decidedAt()), d.retryAfter().toNanos() / 1000);
        }
        RateLimitDecision e = t.tryAcquire("tokens", 10, window, 2);
        assertTrue(e.allowed());
        assertEquals(0, e.remaining());
        if (serverTime()) {
            assertEquals(micros(a.decidedAt()) + 60_000_000L - micros(e.decidedAt()), e.resetAfter().toNanos() / 1000);
        }
        Stored redis = stored();
        if (redis != null) {
            assertEquals(":10", redis.command("LLEN", "crew:t1:ratelimit:tokens"), "memory bounded by maxRequests");
        }
    }

    @Test
    void unitsLeaveTheWindowAndTheKeyExpires() throws Exception {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Duration window = Duration.ofMillis(300);
        List<Long> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RateLimitDecision d = t.tryAcquire("burst", 5, window);
            assertTrue(d.allowed());
            burst.add(micros(d.decidedAt()));
        }
        long deniedAsked = System.nanoTime();
        RateLimitDecision denied = t.tryAcquire("burst", 5, window);
        assertFalse(denied.allowed());
        RateLimitDecision later = await(() -> t.tryAcquire("burst", 5, window), RateLimitDecision::allowed);
        long waited = System.nanoTime() - deniedAsked;
        assertEquals(decider(), later.decidedBy());
        if (serverTime()) {
            assertTrue(micros(later.decidedAt()) >= micros(denied.decidedAt()) + denied.retryAfter().toNanos() / 1000,
                    "admitted no earlier than retryAfter said");
            long floor = micros(later.decidedAt()) - window.toNanos() / 1000;
            long stillCounted = burst.stream().filter(ts -> ts > floor).count();
            assertEquals(5 - 1 - stillCounted, later.remaining(), "units left the window exactly at ts + window");
        } else {
            assertTrue(waited >= denied.retryAfter().toNanos(), "admitted no earlier than retryAfter said: waited "
                    + waited + " ns, retryAfter " + denied.retryAfter());
        }
        Stored redis = stored();
        if (redis != null) {
            await(() -> redis.command("EXISTS", "crew:t1:ratelimit:burst"), ":0"::equals);
        }
    }

    /**
     * Two nodes, eight threads, a window that slides many times: no interval of one window holds more than the limit.
     * On Redis the window is shared; in the fallback each node counts its share ({@code fallback.nodes} = 2), so
     * together they stay within the limit too. Admission times are the decisions' server times on Redis, and on the
     * fallback the span of the test's monotonic clock around each call (units count as within one window only when
     * their spans prove it).
     */
    @Test
    void exactUnderConcurrencyAcrossTwoNodesAndEightThreads() throws Exception {
        Map<String, String> twoNodes = Map.of("redis.crew.ratelimit.fallback.nodes", "2");
        RedisRateLimiter nodeA = limiter(twoNodes);
        RedisRateLimiter nodeB = limiter(twoNodes);
        int limit = 25;
        Duration window = Duration.ofMillis(150);
        long windowNanos = window.toNanos();
        ConcurrentLinkedQueue<long[]> admitted = new ConcurrentLinkedQueue<>(); // {from, to (ns), cost}
        AtomicInteger refused = new AtomicInteger();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
        runThreads(8, i -> {
            TenantRateLimiter t = (i % 2 == 0 ? nodeA : nodeB).forTenant("hot");
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (System.nanoTime() < until) {
                int cost = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 1;
                long asked = System.nanoTime();
                RateLimitDecision d = t.tryAcquire("shared", limit, window, cost);
                long answered = System.nanoTime();
                assertEquals(decider(), d.decidedBy());
                if (d.allowed()) {
                    long at = micros(d.decidedAt()) * 1000;
                    admitted.add(serverTime() ? new long[] {at, at, cost} : new long[] {asked, answered, cost});
                } else {
                    refused.incrementAndGet();
                }
                if (rnd.nextInt(3) == 0) {
                    Thread.sleep(rnd.nextInt(4));
                }
            }
        });
        List<long[]> units = new ArrayList<>();
        for (long[] a : admitted) {
            for (int i = 0; i < a[2]; i++) {
                units.add(a);
            }
        }
        units.sort((x, y) -> Long.compare(x[0], y[0]));
        assertTrue(refused.get() > 0, "the load must exceed the limit for the test to mean anything");
        assertTrue(units.size() > 2 * limit, "admitted " + units.size() + " units: the window must have slid");
        // from each unit on, the units surely admitted within one window of it must be at most the limit
        for (int i = 0; i < units.size(); i++) {
            long start = units.get(i)[0];
            int within = 0;
            for (int j = i; j < units.size() && units.get(j)[0] < start + windowNanos; j++) {
                if (units.get(j)[1] < start + windowNanos) {
                    within++;
                }
            }
            int first = i;
            int count = within;
            assertTrue(count <= limit, () -> count + " units admitted within a window (" + windowNanos
                    + " ns) starting at unit " + first);
        }
    }

    /** Eight threads over two nodes ask at once for a window none of them outlives: exactly the limit is admitted. */
    @Test
    void concurrentRequestsAdmitExactlyTheLimit() throws Exception {
        Map<String, String> twoNodes = Map.of("redis.crew.ratelimit.fallback.nodes", "2");
        RedisRateLimiter nodeA = limiter(twoNodes);
        RedisRateLimiter nodeB = limiter(twoNodes);
        int limit = 40;
        int perThread = 30;
        Duration window = Duration.ofMinutes(10);
        AtomicInteger allowed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        runThreads(8, i -> {
            TenantRateLimiter t = (i % 2 == 0 ? nodeA : nodeB).forTenant("crowd");
            for (int k = 0; k < perThread; k++) {
                RateLimitDecision d = t.tryAcquire("once", limit, window);
                assertEquals(decider(), d.decidedBy());
                (d.allowed() ? allowed : refused).incrementAndGet();
            }
        });
        assertEquals(limit, allowed.get(), "admitted");
        assertEquals(8 * perThread - limit, refused.get(), "refused");
        Stored redis = stored();
        if (redis != null) {
            assertEquals(":" + limit, redis.command("LLEN", "crew:crowd:ratelimit:once"));
        }
    }

    /** A limiter where tenant alpha has used up resource r (one per minute) and tenant beta has one request in r. */
    RedisRateLimiter alphaExhaustedBetaNot() {
        RedisRateLimiter limiter = limiter(Map.of());
        assertTrue(limiter.forTenant("alpha").checkLimit("r", 1, MINUTE));
        assertFalse(limiter.forTenant("alpha").checkLimit("r", 1, MINUTE));
        assertTrue(limiter.forTenant("beta").checkLimit("r", 1, MINUTE));
        return limiter;
    }

    @Test
    void tenantsAndResourcesAreCountedSeparately() {
        RedisRateLimiter limiter = alphaExhaustedBetaNot();
        assertTrue(limiter.forTenant("alpha").checkLimit("other", 1, MINUTE));
        assertEquals("beta", limiter.forTenant("beta").tenant());
        Stored redis = stored();
        if (redis != null) {
            assertEquals(List.of("crew:alpha:ratelimit:r"), redis.keys("crew:alpha:ratelimit:r*"));
            assertEquals(List.of("crew:beta:ratelimit:r"), redis.keys("crew:beta:ratelimit:*"));
        }
    }

    @Test
    void resetStartsTheWindowEmpty() {
        RedisRateLimiter limiter = alphaExhaustedBetaNot();
        limiter.forTenant("alpha").reset("r");
        assertTrue(limiter.forTenant("alpha").checkLimit("r", 1, MINUTE));
        assertFalse(limiter.forTenant("beta").checkLimit("r", 1, MINUTE), "another tenant's window is kept");
    }

    @Test
    void badInputIsRefusedWithTheValueAndTheRule() {
        RedisRateLimiter limiter = limiter(Map.of("redis.crew.ratelimit.max-requests-ceiling", "1000",
                "redis.crew.ratelimit.window-ceiling", "10m"));
        TenantRateLimiter t = limiter.forTenant("t1");
        Duration w = Duration.ofSeconds(1);
        assertMessage(InvalidInputException.class, "maxRequests 0", () -> t.tryAcquire("r", 0, w));
        assertMessage(InvalidInputException.class, "maxRequests -3", () -> t.tryAcquire("r", -3, w));
        assertMessage(InvalidInputException.class, "maxRequests 1001", () -> t.tryAcquire("r", 1001, w));
        assertMessage(InvalidInputException.class, "window 0s", () -> t.tryAcquire("r", 5, Duration.ZERO));
        assertMessage(InvalidInputException.class, "window 601s", () -> t.tryAcquire("r", 5, Duration.ofSeconds(601)));
        assertMessage(InvalidInputException.class, "cost 0", () -> t.tryAcquire("r", 5, w, 0));
        assertMessage(InvalidInputException.class, "cost 6", () -> t.tryAcquire("r", 5, w, 6));
        assertMessage(InvalidNameException.class, "resource \"a:b\"", () -> t.tryAcquire("a:b", 5, w));
        assertMessage(InvalidNameException.class, "tenant id \"t 1\"", () -> limiter.forTenant("t 1"));
        assertMessage(InvalidNameException.class, "tenant id null", () -> limiter.forTenant(null));
        assertMessage(InvalidNameException.class, "resource null", () -> t.tryAcquire(null, 5, w));
        assertMessage(InvalidNameException.class, "resource null", () -> limiter.policy("t1", null));
        Stored redis = stored();
        if (redis != null) {
            assertEquals(List.of(), redis.keys("crew:*"));
        }
    }

    @Test
    void policiesComeFromOverridesThenConfigThenCallerDefaultThenDefault() {
        RedisRateLimiter limiter = limiter(Map.of("redis.crew.ratelimit.default.max-requests", "7",
                "redis.crew.ratelimit.default.window", "2m", "redis.crew.ratelimit.uploads.max-requests", "3",
                "redis.crew.ratelimit.uploads.window", "10s"));
        RateLimitPolicy caller = RateLimitPolicy.of(50, Duration.ofSeconds(5));
        assertEquals(RateLimitPolicy.of(7, Duration.ofMinutes(2)), limiter.policy("t1", "other"));
        assertEquals(caller, limiter.policy("t1", "other", caller));
        assertEquals(RateLimitPolicy.of(3, Duration.ofSeconds(10)), limiter.policy("t1", "uploads", caller));
        limiter.setPolicy("t1", "uploads", RateLimitPolicy.of(1, Duration.ofSeconds(30)));
        assertEquals(RateLimitPolicy.of(1, Duration.ofSeconds(30)), limiter.policy("t1", "uploads", caller));
        assertEquals(RateLimitPolicy.of(3, Duration.ofSeconds(10)), limiter.policy("t2", "uploads"), "per tenant");
        TenantRateLimiter t1 = limiter.forTenant("t1");
        assertTrue(t1.tryAcquire("uploads", 1).allowed());
        RateLimitDecision d = t1.tryAcquire("uploads", 1);
        assertFalse(d.allowed());
        assertEquals(1, d.limit());
        assertEquals(decider(), d.decidedBy());
        assertTrue(limiter.clearPolicy("t1", "uploads"));
        assertFalse(limiter.clearPolicy("t1", "uploads"));
        assertEquals(3, t1.policy("uploads").maxRequests());
        assertThrows(InvalidInputException.class, () -> limiter.setPolicy("t1", "x", RateLimitPolicy.of(1_000_000,
                Duration.ofSeconds(1))));
        assertThrows(InvalidInputException.class, () -> RateLimitPolicy.of(0, Duration.ofSeconds(1)));
    }

    @Test
    void configurationErrorsNameTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> limiter(Map.of("redis.crew.ratelimit.window-ceiling", "2h")));
        assertTrue(e.getMessage().contains("redis.crew.ratelimit.window-ceiling"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> limiter(Map.of("redis.crew.ratelimit.fallback", "maybe")));
        assertTrue(e.getMessage().contains("fail-open") || e.getMessage().contains("fail_open"), e.getMessage());
        RedisRateLimiter l = limiter(Map.of("redis.crew.ratelimit.slow.window", "3h"));
        e = assertThrows(ConfigurationException.class, () -> l.policy("t1", "slow"));
        assertTrue(e.getMessage().contains("redis.crew.ratelimit.slow.window"), e.getMessage());
    }
}
