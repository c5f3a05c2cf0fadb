package io.mcpcrew.crew.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of token buckets and sliding counters (the local fallback's, which is the script's), on a clock the
 * test sets; the policy values and their text and JSON forms.
 */
class RateLimitQuotaTest {
    private final AtomicLong micros = new AtomicLong(1_000_000_000L);
    private final LocalQuotas local = new LocalQuotas(100, () -> micros.get() * 1000);

    private QuotaDecision check(Quota q, long cost) {
        return local.decide("k", q, true, cost);
    }

    @Test
    void tokenBucketAdmitsItsBurstThenRefillsExactly() {
        Quota q = Quota.of(Limit.tokenBucket("t", LimitUnit.TOKENS, 10, Duration.ofSeconds(1))); // one unit per 100 ms
        assertEquals(0, check(q, 10).limit("t").remaining());
        QuotaDecision refused = check(q, 1);
        assertFalse(refused.allowed());
        assertEquals("t", refused.refusedBy());
        assertEquals(Duration.ofMillis(100), refused.retryAfter());
        assertEquals(Duration.ofSeconds(1), refused.limit("t").resetAfter(), "full again after a window");
        micros.addAndGet(99_999);
        assertFalse(check(q, 1).allowed(), "one microsecond early");
        micros.addAndGet(1);
        assertTrue(check(q, 1).allowed());
        micros.addAndGet(250_000);
        QuotaDecision d = check(q, 2);
        assertTrue(d.allowed());
        assertEquals(0, d.limit("t").remaining(), "2.5 units refilled, 2 consumed: half a unit is not one");
        micros.addAndGet(10_000_000);
        assertEquals(10, check(q, 0 + 1).limit("t").remaining() + 1, "never more than the burst");
    }

    @Test
    void tokenBucketBurstAndRateAreIndependent() {
        Quota q = Quota.of(Limit.tokenBucket("t", LimitUnit.REQUESTS, 60, Duration.ofMinutes(1)).withBurst(5));
        for (int i = 0; i < 5; i++) {
            assertTrue(check(q, 1000).allowed(), "a request limit counts one per check, whatever the cost");
        }
        assertEquals(Duration.ofSeconds(1), check(q, 1).retryAfter(), "60 per minute: one per second");
    }

    @Test
    void slidingCounterWeighsThePreviousWindowByItsOverlap() {
        Quota q = Quota.of(Limit.slidingCounter("c", LimitUnit.TOKENS, 10, Duration.ofSeconds(1)));
        micros.set(5_000_000L); // the start of window 5
        assertTrue(check(q, 10).allowed());
        QuotaDecision refused = check(q, 1);
        assertFalse(refused.allowed());
        // next window: the 10 weigh 10 * (1 - f); 1 more fits once f >= 0.1
        assertEquals(Duration.ofMillis(1100), refused.retryAfter());
        micros.set(6_500_000L); // half-way through window 6: 10 * 0.5 = 5 counted
        QuotaDecision d = check(q, 5);
        assertTrue(d.allowed());
        assertEquals(0, d.limit("c").remaining());
        QuotaDecision r = check(q, 1);
        assertFalse(r.allowed());
        assertEquals(Duration.ofMillis(100), r.retryAfter(), "at 0.6 of the window the old 10 weigh 4");
        assertEquals(Duration.ofMillis(1500), r.limit("c").resetAfter(), "the 5 of window 6 count until window 8");
        micros.set(8_000_000L);
        assertEquals(9, check(q, 1).limit("c").remaining(), "two windows later nothing is counted");
    }

    @Test
    void slidingCounterAdmitsUnderTwiceMaxInTheWorstCase() {
        Quota q = Quota.of(Limit.slidingCounter("c", LimitUnit.REQUESTS, 100, Duration.ofSeconds(1)));
        micros.set(9_999_000L); // the last millisecond of window 9
        int burst = 0;
        while (check(q, 1).allowed()) {
            burst++;
        }
        assertEquals(100, burst, "an aligned window admits max");
        micros.set(10_990_000L); // 0.99 into window 10: the 100 weigh 1
        int more = 0;
        while (check(q, 1).allowed()) {
            more++;
        }
        assertEquals(99, more, "199 within 991 ms: the stated worst case, under twice max");
    }

    @Test
    void allOrNothingAcrossLimits() {
        Quota q = Quota.of(Limit.tokenBucket("rpm", LimitUnit.REQUESTS, 3, Duration.ofMinutes(1)),
                Limit.slidingCounter("tpm", LimitUnit.TOKENS, 100, Duration.ofMinutes(1)));
        micros.set(60_000_000L);
        assertTrue(check(q, 90).allowed());
        QuotaDecision refused = check(q, 20);
        assertEquals("tpm", refused.refusedBy());
        assertTrue(refused.limit("rpm").admits());
        assertEquals(2, refused.limit("rpm").remaining(), "a refusal reports the state it left untouched");
        assertEquals(10, refused.limit("tpm").remaining());
        QuotaDecision d = check(q, 10);
        assertTrue(d.allowed());
        assertEquals(List.of(1L, 0L), List.of(d.limit("rpm").remaining(), d.limit("tpm").remaining()),
                "the refused check took no request");
    }

    @Test
    void adjustCorrectsTokensOnlyWithinBounds() {
        Quota q = Quota.of(Limit.tokenBucket("rpm", LimitUnit.REQUESTS, 10, Duration.ofMinutes(1)),
                Limit.slidingCounter("tpm", LimitUnit.TOKENS, 1000, Duration.ofMinutes(1)),
                Limit.tokenBucket("tpm2", LimitUnit.TOKENS, 1000, Duration.ofMinutes(1)));
        micros.set(60_000_000L);
        check(q, 600);
        QuotaDecision back = local.decide("k", q, false, -250);
        assertTrue(back.allowed());
        assertEquals(List.of(9L, 650L, 650L), remaining(back));
        assertEquals(List.of(9L, 0L, 0L), remaining(local.decide("k", q, false, 5000)), "debt");
        assertEquals(List.of(9L, 1000L, 1000L), remaining(local.decide("k", q, false, -1_000_000)));
        check(q, 400); // still in window 1 of the counter
        micros.set(120_000_000L); // window 2: the 400 are the previous window's, fully weighted at its start
        assertEquals(List.of(10L, 900L, 1000L), remaining(local.decide("k", q, false, -300)),
                "300 given back from the previous window; the buckets refilled in the minute");
    }

    @Test
    void keysBeyondTheBoundEvictIdleThenOldest() {
        LocalQuotas two = new LocalQuotas(2, () -> micros.get() * 1000);
        Quota q = Quota.of(Limit.tokenBucket("t", LimitUnit.TOKENS, 10, Duration.ofSeconds(1)));
        two.decide("a", q, true, 10);
        micros.addAndGet(1);
        two.decide("b", q, true, 10);
        micros.addAndGet(1);
        two.decide("c", q, true, 10);
        assertEquals(2, two.size());
        assertTrue(two.decide("a", q, true, 10).allowed(), "the oldest key went first");
        assertFalse(two.decide("c", q, true, 1).allowed());
    }

    @Test
    void theTextFormOfAPolicy() {
        Quota q = LimitSpec.parse("rpm=60/1m requests sliding-counter, tpm=150_000/1m tokens token-bucket burst=300000,"
                + " tpd=2000000/1d sliding-counter");
        assertEquals(List.of(Limit.slidingCounter("rpm", LimitUnit.REQUESTS, 60, Duration.ofMinutes(1)),
                Limit.tokenBucket("tpm", LimitUnit.TOKENS, 150_000, Duration.ofMinutes(1)).withBurst(300_000),
                Limit.slidingCounter("tpd", LimitUnit.TOKENS, 2_000_000, Duration.ofDays(1))), q.limits());
        assertEquals(q, LimitSpec.parse(LimitSpec.format(q)));
        assertEquals(Quota.of(Limit.exactLog("x", LimitUnit.TOKENS, 5, Duration.ofSeconds(30))), LimitSpec.parse("x=5/30s"),
                "an exact log of tokens unless said otherwise");
        for (String[] bad : new String[][] {{"tpm", "<name>=<max>/<window>"}, {"tpm=x/1m", "not a whole number"},
                {"tpm=5/soon", "duration"}, {"tpm=5/1m tokens gcra", "unknown word 'gcra'"},
                {"tpm=5/1m sliding-counter burst=9", "token-bucket limits only"},
                {"a=5/1m token-bucket, a=6/1m token-bucket", "duplicate limit name 'a'"},
                {"a=5/1m, b=6/1m token-bucket", "exact-log limit"}, {"a:b=5/1m", "limit name"}}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> LimitSpec.parse(bad[0]), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
        }
    }

    @Test
    void policiesRefuseWhatTheyCannotKeep() {
        List<Limit> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(Limit.tokenBucket("l" + i, LimitUnit.TOKENS, 10, Duration.ofSeconds(1)));
        }
        assertThrows(InvalidInputException.class, () -> new Quota(nine));
        assertThrows(InvalidInputException.class, () -> new Quota(List.of()));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Limit.tokenBucket("odd", LimitUnit.TOKENS, 999_999_937L, Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("cannot be kept exactly"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Limit.slidingCounter("w", LimitUnit.TOKENS, 0, Duration.ofSeconds(1)));
        assertThrows(InvalidInputException.class, () -> Limit.slidingCounter("w", LimitUnit.TOKENS, 5, Duration.ofNanos(999_999)));
        Limit l = Limit.tokenBucket("tpm", LimitUnit.TOKENS, 150_000, Duration.ofMinutes(1));
        assertEquals(1, l.refillPerMicro() * 400 / l.pointsPerUnit(), "150,000 per minute: one per 400 µs");
        assertEquals(Limit.slidingCounter("w", LimitUnit.TOKENS, 5, Duration.ofSeconds(1)),
                new Limit("w", LimitUnit.TOKENS, LimitAlgorithm.SLIDING_COUNTER, 5, Duration.ofSeconds(1), 77),
                "burst is the token bucket's only");
    }

    @Test
    void theStoredJsonReadsBackToTheSamePolicy() {
        Quota q = Quota.of(Limit.slidingCounter("rpm", LimitUnit.REQUESTS, 60, Duration.ofMinutes(1)),
                Limit.tokenBucket("tpm", LimitUnit.TOKENS, 150_000, Duration.ofMillis(60_500)).withBurst(7));
        assertEquals(q, PolicyStore.fromJson(PolicyStore.toJson(q)));
    }

    private static List<Long> remaining(QuotaDecision d) {
        return d.limits().stream().map(LimitState::remaining).toList();
    }
}
