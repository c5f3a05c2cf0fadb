package io.mcpcrew.crew.ratelimit;

import static io.mcpcrew.crew.ratelimit.RateLimiterContract.micros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour of token-bucket and sliding-counter policies ({@link Quota}) on every backend, per algorithm: the
 * same topologies as {@link RateLimiterContract} (which implements this), so Redis standalone, Cluster, Sentinel
 * and the local fallback each run it. Windows are a day where a test must not see units leave (a sliding counter's
 * windows are aligned, so those tests are skipped in the rare run that crosses a day boundary), a fraction of a
 * second where it must. On Redis, times are checked exactly against the decisions' server times.
 */
interface QuotaContract {
    Duration DAY = Duration.ofDays(1);

    RedisRateLimiter limiter(Map<String, String> extra);

    DecidedBy decider();

    boolean serverTime();

    RateLimiterContract.Stored stored();

    static Limit limit(LimitAlgorithm a, String name, LimitUnit unit, long max, Duration window) {
        return new Limit(name, unit, a, max, window, max);
    }

    /** {@code rpd}: {@code requests} requests per day, and {@code tpd}: {@code tokens} tokens per day. */
    static Quota perDay(LimitAlgorithm a, long requests, long tokens) {
        return Quota.of(limit(a, "rpd", LimitUnit.REQUESTS, requests, DAY), limit(a, "tpd", LimitUnit.TOKENS, tokens, DAY));
    }

    /** The clock the backend counts in, in µs: Redis TIME from a decision, or this JVM's monotonic clock. */
    private long clock(QuotaDecision d) {
        return serverTime() ? micros(d.decidedAt()) : System.nanoTime() / 1000;
    }

    /** Skips a sliding-counter test whose decisions did not all fall in one aligned window. */
    private static void assumeOneWindow(LimitAlgorithm a, long fromMicros, long toMicros, Duration window) {
        long w = window.toNanos() / 1000;
        Assumptions.assumeTrue(a != LimitAlgorithm.SLIDING_COUNTER || fromMicros / w == toMicros / w,
                "the decisions crossed a window boundary");
    }

    @ParameterizedTest
    @EnumSource(names = {"TOKEN_BUCKET", "SLIDING_COUNTER"})
    default void admitsUpToTheLimitThenRefusesConsumingNothingAndSaysWhenToRetry(LimitAlgorithm a) {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Quota q = Quota.of(limit(a, "tpd", LimitUnit.TOKENS, 5, DAY));
        long from = serverTime() ? 0 : System.nanoTime() / 1000;
        QuotaDecision first = t.consume("llm", q, 2);
        if (serverTime()) {
            from = clock(first);
        }
        assertTrue(first.allowed());
        assertNull(first.refusedBy());
        assertEquals(decider(), first.decidedBy());
        assertEquals(3, first.limit("tpd").remaining());
        QuotaDecision second = t.consume("llm", q, 3);
        assertTrue(second.allowed());
        assertEquals(0, second.limit("tpd").remaining());
        QuotaDecision refused = t.consume("llm", q, 1);
        QuotaDecision again = t.consume("llm", q, 1);
        long to = clock(again);
        assumeOneWindow(a, from, to, DAY);
        assertFalse(refused.allowed());
        assertEquals("tpd", refused.refusedBy());
        assertEquals(decider(), refused.decidedBy());
        assertEquals(0, refused.limit("tpd").remaining());
        assertTrue(refused.retryAfter().compareTo(Duration.ZERO) > 0);
        assertEquals(refused.retryAfter(), refused.limit("tpd").retryAfter());
        assertFalse(again.allowed(), "the refusal consumed nothing, and nothing was freed");
        if (serverTime()) {
            long now = micros(refused.decidedAt());
            long expected;
            if (a == LimitAlgorithm.TOKEN_BUCKET) {
                // 5 per day: one unit is refilled every 86400 s / 5; the bucket was full at first's time + 5 units later
                Limit l = q.limits().get(0);
                long m = l.refillPerMicro();
                long w = l.pointsPerUnit();
                long owed = Math.max(0, 2 * w - (micros(second.decidedAt()) - micros(first.decidedAt())) * m) + 3 * w;
                owed = Math.max(0, owed - (now - micros(second.decidedAt())) * m);
                expected = (owed + w - 5 * w + m - 1) / m;
            } else {
                // the next window, once the 5 counted now (its previous window then) weigh 4 at most: a fifth in
                long day = DAY.toNanos() / 1000;
                expected = (now / day + 1) * day + day / 5 - now;
            }
            assertEquals(expected, refused.retryAfter().toNanos() / 1000, "retryAfter on the server clock");
        }
        assertTrue(refused.retryAfter().compareTo(DAY.multipliedBy(2)) <= 0);
    }

    /** A REQUESTS limit counts checks, a TOKENS limit their cost; the refusal names the limit to wait for. */
    @ParameterizedTest
    @EnumSource(names = {"TOKEN_BUCKET", "SLIDING_COUNTER"})
    default void severalLimitsAreDecidedTogetherAllOrNothing(LimitAlgorithm a) {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Quota q = perDay(a, 3, 100);
        long from = System.nanoTime() / 1000;
        QuotaDecision d1 = t.consume("gpt", q, 40);
        from = serverTime() ? clock(d1) : from;
        assertTrue(d1.allowed());
        assertEquals(List.of(2L, 60L), remaining(d1));
        QuotaDecision d2 = t.consume("gpt", q, 50);
        assertEquals(List.of(1L, 10L), remaining(d2));
        QuotaDecision d3 = t.consume("gpt", q, 20);
        assertFalse(d3.allowed());
        assertEquals("tpd", d3.refusedBy());
        assertTrue(d3.limit("rpd").admits(), "the request limit alone would admit it");
        assertEquals(List.of(1L, 10L), remaining(d3), "a refusal reports what is left, nothing consumed");
        assertFalse(d3.limit("tpd").admits());
        QuotaDecision d4 = t.consume("gpt", q, 10);
        assertTrue(d4.allowed(), "the refused check consumed nothing, from neither limit: " + d4);
        assertEquals(List.of(0L, 0L), remaining(d4));
        QuotaDecision d5 = t.consume("gpt", q, 1);
        assumeOneWindow(a, from, clock(d5), DAY);
        assertFalse(d5.allowed());
        assertEquals("rpd", d5.refusedBy(), "both refuse; a request frees up later than a token");
        assertEquals(d5.limit("rpd").retryAfter(), d5.retryAfter());
        assertTrue(d5.limit("tpd").retryAfter().compareTo(d5.retryAfter()) < 0);
        assertEquals(d4.binding().limit().name(), "rpd", "equal shares left: the first limit binds");
        RateLimiterContract.Stored redis = stored();
        if (redis != null) {
            assertEquals(List.of("crew:t1:ratelimit:{t1.gpt}:q"), redis.keys("crew:t1:ratelimit:*"),
                    "one key holds every limit");
            assertEquals("+hash", redis.command("TYPE", "crew:t1:ratelimit:{t1.gpt}:q").trim());
            long ttl = redis.ttl("crew:t1:ratelimit:{t1.gpt}:q");
            assertTrue(ttl > 0 && ttl <= 4 * 86_400, "expires on its own: " + ttl);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"TOKEN_BUCKET", "SLIDING_COUNTER"})
    default void adjustGivesBackAndChargesTokensInTheSameWindows(LimitAlgorithm a) {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Quota q = perDay(a, 10, 1000);
        long from = System.nanoTime() / 1000;
        QuotaDecision c = t.consume("llm", q, 600);
        from = serverTime() ? clock(c) : from;
        assertEquals(List.of(9L, 400L), remaining(c));
        assertEquals(List.of(9L, 650L), remaining(t.adjust("llm", q, -250)), "250 tokens given back, requests kept");
        assertEquals(List.of(9L, 150L), remaining(t.adjust("llm", q, 500)), "500 more charged");
        QuotaDecision debt = t.adjust("llm", q, 1000);
        assertTrue(debt.allowed());
        assertEquals(0, debt.limit("tpd").remaining(), "charged past the limit: in debt");
        QuotaDecision refused = t.consume("llm", q, 1);
        assertFalse(refused.allowed());
        assertEquals("tpd", refused.refusedBy());
        QuotaDecision back = t.adjust("llm", q, -1_000_000);
        assumeOneWindow(a, from, clock(back), DAY);
        assertEquals(List.of(9L, 1000L), remaining(back), "never less than nothing counted");
        assertEquals(decider(), back.decidedBy());
        assertTrue(t.consume("llm", q, 1000).allowed());
        RateLimiterContract.assertMessage(InvalidInputException.class, "exact log",
                () -> t.adjust("llm", Quota.of(Limit.exactLog("llm", LimitUnit.TOKENS, 5, DAY.dividedBy(24))), 1));
    }

    /**
     * Two nodes, eight threads, checks of random cost against a request limit and a token limit: every admitted check
     * consumed from both, no refused one from either, and neither limit admitted more than it holds.
     */
    @ParameterizedTest
    @EnumSource(names = {"TOKEN_BUCKET", "SLIDING_COUNTER"})
    default void concurrentChecksOfTwoNodesAreAllOrNothingAndNeverExceedALimit(LimitAlgorithm a) throws Exception {
        Map<String, String> twoNodes = Map.of("redis.crew.ratelimit.fallback.nodes", "2");
        List<TenantRateLimiter> nodes = List.of(limiter(twoNodes).forTenant("hot"), limiter(twoNodes).forTenant("hot"));
        Quota q = perDay(a, 50, 300);
        AtomicLong requests = new AtomicLong();
        AtomicLong tokens = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long from = System.nanoTime() / 1000;
        ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
        RateLimiterContract.runThreads(8, i -> {
            TenantRateLimiter t = nodes.get(i % 2);
            for (int k = 0; k < 60; k++) {
                long cost = 1 + ThreadLocalRandom.current().nextInt(10);
                QuotaDecision d = t.consume("shared", q, cost);
                assertEquals(decider(), d.decidedBy());
                times.add(clock(d));
                if (d.allowed()) {
                    requests.incrementAndGet();
                    tokens.addAndGet(cost);
                } else {
                    refused.incrementAndGet();
                }
            }
        });
        long first = serverTime() ? times.stream().min(Long::compare).orElseThrow() : from;
        long last = times.stream().max(Long::compare).orElseThrow();
        assumeOneWindow(a, first, last, DAY);
        assertTrue(refused.get() > 0, "the load must exceed the limits");
        assertTrue(requests.get() <= 50 && tokens.get() <= 300, requests + " requests, " + tokens + " tokens");
        long leftRequests = 0;
        long leftTokens = 0;
        for (TenantRateLimiter t : serverTime() ? nodes.subList(0, 1) : nodes) { // the fallback: each node its share
            QuotaDecision now = t.adjust("shared", q, 0);
            long r = now.limit("rpd").remaining();
            long k = now.limit("tpd").remaining();
            assertTrue(r == 0 || k < 10, "the load went on until one limit could admit no more: " + now);
            leftRequests += r;
            leftTokens += k;
        }
        assertEquals(50, requests.get() + leftRequests, "every admitted check consumed one request, no refused one did");
        assertEquals(300, tokens.get() + leftTokens, "every admitted check consumed its tokens, no refused one did");
    }

    /**
     * The token bucket's promise, exactly, on a bucket that refills many times during the test: in any interval
     * [t_i, t_j] between two admissions at most {@code burst + (t_j - t_i) * max / window} units were admitted. Eight
     * threads of two nodes; on Redis over every pair of admissions (server times), on the fallback over the whole run
     * (this node's clock, bounded by the test's own).
     */
    @org.junit.jupiter.api.Test
    default void tokenBucketNeverAdmitsMoreThanBurstPlusRefill() throws Exception {
        Map<String, String> twoNodes = Map.of("redis.crew.ratelimit.fallback.nodes", "2");
        List<TenantRateLimiter> nodes = List.of(limiter(twoNodes).forTenant("tb"), limiter(twoNodes).forTenant("tb"));
        Duration window = Duration.ofMillis(200);
        long max = 40;
        long burst = 10;
        Quota q = Quota.of(Limit.tokenBucket("tps", LimitUnit.TOKENS, max, window).withBurst(burst));
        ConcurrentLinkedQueue<long[]> admitted = new ConcurrentLinkedQueue<>(); // {time µs, units}
        long start = System.nanoTime() / 1000;
        long until = System.nanoTime() + 1_500_000_000L;
        RateLimiterContract.runThreads(8, i -> {
            TenantRateLimiter t = nodes.get(i % 2);
            while (System.nanoTime() < until) {
                long cost = 1 + ThreadLocalRandom.current().nextInt(3);
                QuotaDecision d = t.consume("b", q, cost);
                if (d.allowed()) {
                    admitted.add(new long[] {clock(d), cost});
                }
            }
        });
        long end = System.nanoTime() / 1000;
        List<long[]> xs = new ArrayList<>(admitted);
        xs.sort((x, y) -> Long.compare(x[0], y[0]));
        long total = xs.stream().mapToLong(x -> x[1]).sum();
        long w = window.toNanos() / 1000;
        assertTrue(total > 3 * burst, "admitted " + total + ": the bucket must have refilled");
        if (!serverTime()) {
            long nodesShare = 2 * (burst / 2);
            assertTrue(total * w <= nodesShare * w + (end - start) * 2 * (max / 2),
                    total + " units in " + (end - start) + " µs");
            return;
        }
        for (int i = 0; i < xs.size(); i++) {
            long sum = 0;
            for (int j = i; j < xs.size(); j++) {
                sum += xs.get(j)[1];
                long span = xs.get(j)[0] - xs.get(i)[0];
                if (sum * w > burst * w + span * max) {
                    throw new AssertionError(sum + " units admitted within " + span + " µs: more than " + burst
                            + " + " + span + " * " + max + " / " + w);
                }
            }
        }
    }

    /**
     * The sliding counter's promises on short windows, eight threads: each aligned window admits at most max, and
     * any interval of one window less than twice max (on Redis, by server times; on the fallback the aligned windows
     * are this node's and only the run's total is checked).
     */
    @org.junit.jupiter.api.Test
    default void slidingCounterStaysWithinItsStatedBound() throws Exception {
        TenantRateLimiter t = limiter(Map.of()).forTenant("sc");
        Duration window = Duration.ofMillis(100);
        long max = 20;
        Quota q = Quota.of(Limit.slidingCounter("rps", LimitUnit.REQUESTS, max, window));
        ConcurrentLinkedQueue<Long> admitted = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime() / 1000;
        long until = System.nanoTime() + 1_200_000_000L;
        RateLimiterContract.runThreads(8, i -> {
            while (System.nanoTime() < until) {
                QuotaDecision d = t.consume("c", q, 1);
                if (d.allowed()) {
                    admitted.add(clock(d));
                }
            }
        });
        long end = System.nanoTime() / 1000;
        long w = window.toNanos() / 1000;
        List<Long> xs = new ArrayList<>(admitted);
        xs.sort(Long::compare);
        assertTrue(xs.size() > 3 * max, "admitted " + xs.size() + ": the windows must have moved");
        if (!serverTime()) {
            assertTrue(xs.size() <= max * ((end - start) / w + 2), xs.size() + " in " + (end - start) + " µs");
            return;
        }
        for (int i = 0; i < xs.size(); i++) {
            int sameWindow = 0;
            int within = 0;
            for (int j = i; j < xs.size() && xs.get(j) < xs.get(i) + w; j++) {
                within++;
                sameWindow += xs.get(j) / w == xs.get(i) / w ? 1 : 0;
            }
            assertTrue(within < 2 * max, within + " admitted within one window from " + xs.get(i));
            if (i == 0 || xs.get(i - 1) / w != xs.get(i) / w) {
                assertTrue(sameWindow <= max, sameWindow + " admitted in the aligned window of " + xs.get(i));
            }
        }
    }

    /** Units come back: a refused check is admitted later, no earlier than its retryAfter said. */
    @ParameterizedTest
    @EnumSource(names = {"TOKEN_BUCKET", "SLIDING_COUNTER"})
    default void aRefusedCheckPassesOnceItsRetryAfterHasPassed(LimitAlgorithm a) throws Exception {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        // 2 of 4 units come back after 1 s at the earliest: the refusal right after the burst is certain
        Quota q = Quota.of(limit(a, "burst", LimitUnit.TOKENS, 4, Duration.ofSeconds(2)));
        assertTrue(t.consume("r", q, 4).allowed());
        long asked = System.nanoTime();
        QuotaDecision refused = t.consume("r", q, 2);
        assertFalse(refused.allowed(), "refused right after the burst");
        QuotaDecision later = RateLimiterContract.await(() -> t.consume("r", q, 2), QuotaDecision::allowed);
        long waited = System.nanoTime() - asked;
        assertEquals(decider(), later.decidedBy());
        if (serverTime()) {
            assertTrue(micros(later.decidedAt()) >= micros(refused.decidedAt()) + refused.retryAfter().toNanos() / 1000,
                    "admitted no earlier than retryAfter said");
        } else {
            assertTrue(waited >= refused.retryAfter().toNanos(), "waited " + waited + " ns, retry " + refused.retryAfter());
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"TOKEN_BUCKET", "SLIDING_COUNTER"})
    default void costsAndPoliciesOutsideTheRulesAreRefusedWithTheirName(LimitAlgorithm a) {
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Quota q = Quota.of(limit(a, "rpm", LimitUnit.REQUESTS, 5, Duration.ofMinutes(1)),
                limit(a, "tpm", LimitUnit.TOKENS, 100, Duration.ofMinutes(1)));
        RateLimiterContract.assertMessage(InvalidInputException.class, "limit 'tpm'", () -> t.consume("r", q, 101));
        RateLimiterContract.assertMessage(InvalidInputException.class, "invalid cost 0", () -> t.consume("r", q, 0));
        RateLimiterContract.assertMessage(InvalidInputException.class, "quota-window-ceiling",
                () -> t.consume("r", Quota.of(limit(a, "long", LimitUnit.TOKENS, 5, Duration.ofDays(2))), 1));
        RateLimiterContract.assertMessage(InvalidInputException.class, "max-units-ceiling",
                () -> t.consume("r", Quota.of(limit(a, "big", LimitUnit.TOKENS, 2_000_000_000_000L, DAY)), 1));
        RateLimiterContract.assertMessage(io.mcpcrew.crew.validation.InvalidNameException.class, "resource",
                () -> t.consume("bad:name", q, 1));
        assertTrue(t.consume("r", q, 100).allowed());
    }


    private static List<Long> remaining(QuotaDecision d) {
        return d.limits().stream().map(LimitState::remaining).toList();
    }
}
