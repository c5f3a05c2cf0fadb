package io.mcpcrew.crew.ratelimit;

import static io.mcpcrew.crew.ratelimit.RateLimiterContract.micros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The part of {@link UsageContract} that needs Redis, run by the Redis topologies (standalone, Cluster, Sentinel):
 * the read against the state in Redis, exactly in the server's time, and that it changes nothing there.
 */
interface StoredUsageContract extends UsageContract {

    /**
     * Exact logs written in the documented format (newest first; expired elements at the tail, as a check leaves up
     * to two and an idle key keeps all) of every mix of counted and expired elements: the usage counts exactly the
     * counted ones, and its reset and retry times are those of the oldest counted and the limit-th newest, on the
     * server clock; the expired elements stay (a read prunes nothing) until a check trims them.
     */
    @Test
    default void theExactLogIsCountedAroundExpiredElementsWithoutPruningThem() {
        RateLimiterContract.Stored redis = stored();
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        int limit = 10;
        Quota q = UsageContract.one(LimitAlgorithm.EXACT_LOG, "log", limit);
        long w = HOUR.toNanos() / 1000;
        long now0 = micros(t.usage("log", q).readAt());
        String key = "crew:t1:ratelimit:log";
        for (int counted : new int[] {0, 1, 2, 5, 10, 17, 100}) {
            for (int expired : new int[] {0, 1, 2, 3, 4, 9, 50}) {
                redis.command("DEL", key);
                List<String> push = new ArrayList<>(); // RPUSH: oldest last
                for (int i = 0; i < counted; i++) {
                    push.add(Long.toString(now0 - 1000L * i));
                }
                for (int i = 0; i < expired; i++) {
                    push.add(Long.toString(now0 - w - 1000L * (i + 1)));
                }
                if (push.isEmpty()) {
                    continue;
                }
                List<String> args = new ArrayList<>(List.of("RPUSH", key));
                args.addAll(push);
                redis.command(args.toArray(String[]::new));
                String what = counted + " counted, " + expired + " expired";
                QuotaUsage u = t.usage("log", q);
                LimitUsage l = u.limit("log");
                long now = micros(u.readAt());
                assertEquals(DecidedBy.REDIS, u.decidedBy());
                assertEquals(counted, l.used(), what);
                assertEquals(Math.max(0, limit - counted), l.remaining(), what);
                long oldest = now0 - 1000L * (counted - 1);
                assertEquals(counted == 0 ? 0 : oldest + w - now, l.resetAfter().toNanos() / 1000, what);
                long retry = counted < limit ? 0 : now0 - 1000L * (limit - 1) + w - now;
                assertEquals(retry, l.retryAfter().toNanos() / 1000, what);
                assertEquals(":" + (counted + expired), redis.command("LLEN", key).trim(), what + ": nothing pruned");
            }
        }
        redis.command("DEL", key);
        List<String> args = new ArrayList<>(List.of("RPUSH", key, Long.toString(now0)));
        for (int i = 0; i < 4; i++) {
            args.add(Long.toString(now0 - w - 1000L * (i + 1)));
        }
        redis.command(args.toArray(String[]::new));
        assertEquals(1, t.usage("log", q).limit("log").used());
        assertEquals(":5", redis.command("LLEN", key).trim());
        assertTrue(t.consume("log", q, 1).allowed());
        assertEquals(":2", redis.command("LLEN", key).trim(), "a check trims what the read left");
        assertEquals(2, t.usage("log", q).limit("log").used());
    }

    /**
     * A sliding counter's state written in the documented format, its last write in the window before now's and in
     * now's: the usage is the estimate of the sliding window (the previous window weighted by its overlap, rounded
     * up), checked against the formula at the read's server time.
     */
    @Test
    default void theSlidingCounterWeighsThePreviousWindow() {
        RateLimiterContract.Stored redis = stored();
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        long max = 1000;
        Quota q = Quota.of(Limit.slidingCounter("c", LimitUnit.TOKENS, max, QuotaContract.DAY));
        long w = QuotaContract.DAY.toNanos() / 1000;
        long now0 = micros(t.usage("sc", q).readAt());
        String key = "crew:t1:ratelimit:{t1.sc}:q";
        for (long[] state : new long[][] {{now0 - w, 400, 100}, {now0, 7, 9}, {now0 - 2 * w, 50, 60}}) {
            redis.command("HSET", key, "t", Long.toString(state[0]), "c", Long.toString(state[1]), "c:x",
                    Long.toString(state[2]));
            QuotaUsage u = t.usage("sc", q);
            long now = micros(u.readAt());
            long k = now / w;
            long kt = state[0] / w;
            long cur = kt >= k ? state[1] : 0;
            long prev = kt >= k ? state[2] : kt == k - 1 ? state[1] : 0;
            long el = now - k * w;
            double weighted = (double) prev * (w - el) / w;
            LimitUsage l = u.limit("c");
            String what = "state " + java.util.Arrays.toString(state) + " read at " + now;
            assertEquals(cur + (long) Math.ceil(weighted), l.used(), what);
            assertEquals((long) Math.floor(max - cur - weighted), l.remaining(), what);
            long reset = cur > 0 ? (k + 2) * w - now : prev > 0 ? w - el : 0;
            assertEquals(reset, l.resetAfter().toNanos() / 1000, what);
            assertTrue(l.admits(), what);
        }
    }

    /** Reads leave the state as it was: the same fields and values, and no longer a TTL than before. */
    @ParameterizedTest
    @EnumSource(LimitAlgorithm.class)
    default void readsLeaveTheStateAsItWas(LimitAlgorithm a) {
        RateLimiterContract.Stored redis = stored();
        TenantRateLimiter t = limiter(Map.of()).forTenant("t1");
        Quota q = Quota.of(new Limit("u", LimitUnit.TOKENS, a, 50, Duration.ofMinutes(1), 50));
        assertTrue(t.consume("r", q, 20).allowed());
        String key = a == LimitAlgorithm.EXACT_LOG ? "crew:t1:ratelimit:r" : "crew:t1:ratelimit:{t1.r}:q";
        String read = a == LimitAlgorithm.EXACT_LOG ? "LRANGE" : "HGETALL";
        String[] command = a == LimitAlgorithm.EXACT_LOG ? new String[] {read, key, "0", "-1"} : new String[] {read, key};
        String before = redis.command(command);
        long ttl = Long.parseLong(redis.command("PTTL", key).substring(1).trim());
        assertTrue(ttl > 0, "the check set a TTL: " + ttl);
        for (int i = 0; i < 50; i++) {
            t.usage("r", q);
        }
        assertEquals(before, redis.command(command), "the reads changed nothing");
        long after = Long.parseLong(redis.command("PTTL", key).substring(1).trim());
        assertTrue(after <= ttl, "the reads did not renew the TTL: " + ttl + " then " + after);
    }
}
