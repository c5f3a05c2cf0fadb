package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.redis.BatchScript;
import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.RedisManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Java side of {@code quota.lua}: a {@link Quota}'s arguments (built once per quota), one run through
 * {@link RedisManager#evalItem} (concurrent checks of policies with as many limits share one EVALSHA, and send their
 * arguments once when they are equal), and the reply as a {@link QuotaDecision}.
 */
final class QuotaScript {
    static final LuaScript LUA = LuaScript.fromResource(QuotaScript.class, "quota.lua");
    private static final BatchScript[] BY_LIMITS = new BatchScript[Quota.MAX_LIMITS + 1];
    private static final byte[] CHECK = {'c'};
    private static final byte[] ADJUST = {'a'};
    private static final int MAX_CACHED = 10_000;

    static {
        for (int n = 1; n <= Quota.MAX_LIMITS; n++) {
            BY_LIMITS[n] = new BatchScript(LUA, 1, 3 + 5 * n, 2 + 3 * n, 1, true);
        }
    }

    private final Map<Quota, List<byte[]>> limitArgs = new ConcurrentHashMap<>();

    /** Checks and, if every limit admits it, consumes {@code cost} ({@code op} check) or adjusts by it. */
    QuotaDecision run(RedisManager redis, byte[] key, Quota quota, boolean check, long amount) {
        int n = quota.limits().size();
        List<byte[]> args = new ArrayList<>(3 + 5 * n);
        args.add(ascii(n));
        args.add(check ? CHECK : ADJUST);
        args.add(ascii(amount));
        args.addAll(limitArgs(quota));
        List<Object> r = redis.evalItem(BY_LIMITS[n], List.of(key), args);
        int refused = (int) (long) (Long) r.get(0);
        List<LimitState> states = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            states.add(new LimitState(quota.limits().get(i), (Long) r.get(2 + 3 * i), micros((Long) r.get(3 + 3 * i)),
                    micros((Long) r.get(4 + 3 * i))));
        }
        long now = (Long) r.get(r.size() - 1);
        return new QuotaDecision(refused == 0, refused == 0 ? null : quota.limits().get(refused - 1).name(),
                micros((Long) r.get(1)), states, DecidedBy.REDIS,
                Instant.ofEpochSecond(now / 1_000_000, (now % 1_000_000) * 1000));
    }

    /** name, kind, p1, p2, p3 per limit (see the script's header). */
    private List<byte[]> limitArgs(Quota quota) {
        List<byte[]> a = limitArgs.get(quota);
        if (a != null) {
            return a;
        }
        a = new ArrayList<>(5 * quota.limits().size());
        for (Limit l : quota.limits()) {
            addLimitArgs(l, a);
        }
        a = List.copyOf(a);
        if (limitArgs.size() >= MAX_CACHED) {
            limitArgs.clear();
        }
        limitArgs.put(quota, a);
        return a;
    }

    /**
     * The 5 arguments of a token-bucket or sliding-counter limit (name, kind, p1, p2, p3; see the script's header),
     * which {@code usage.lua} reads too.
     */
    static void addLimitArgs(Limit l, List<byte[]> a) {
        boolean bucket = l.algorithm() == LimitAlgorithm.TOKEN_BUCKET;
        a.add(l.name().getBytes(StandardCharsets.US_ASCII));
        a.add(((bucket ? "T" : "S") + (l.unit() == LimitUnit.TOKENS ? "T" : "R")).getBytes(StandardCharsets.US_ASCII));
        if (bucket) {
            a.add(ascii(l.refillPerMicro()));
            a.add(ascii(l.pointsPerUnit()));
            a.add(ascii(l.burst() * l.pointsPerUnit()));
        } else {
            a.add(ascii(l.windowMicros()));
            a.add(ascii(l.max()));
            a.add(ascii(0));
        }
    }

    /** A script argument: the decimal digits of {@code v}. */
    static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    static Duration micros(long us) {
        return us <= 0 ? Duration.ZERO : Duration.ofNanos(us * 1000);
    }
}
