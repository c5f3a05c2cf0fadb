package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.RedisManager;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java side of {@code usage.lua}: a policy's usage read from Redis in one EVALSHA of a script declared
 * {@code no-writes} (it reads the exact log's LIST or the quota HASH of the resource, one key, and writes nothing),
 * and the reply as a {@link QuotaUsage}.
 */
final class UsageScript {
    static final LuaScript LUA = LuaScript.fromResource(UsageScript.class, "usage.lua");
    private static final byte[] EXACT_LOG = {'L'};

    private UsageScript() {
    }

    /** Reads the usage of {@code quota} on {@code key} (the exact log's LIST for an exact-log quota, else its HASH). */
    static QuotaUsage run(RedisManager redis, String resource, byte[] key, Quota quota) {
        int n = quota.limits().size();
        List<byte[]> args = new ArrayList<>(1 + 5 * n);
        args.add(QuotaScript.ascii(n));
        if (quota.isExactLog()) {
            Limit l = quota.limits().get(0);
            args.add(l.name().getBytes(StandardCharsets.US_ASCII));
            args.add(EXACT_LOG);
            args.add(QuotaScript.ascii(l.windowMicros()));
            args.add(QuotaScript.ascii(l.max()));
            args.add(QuotaScript.ascii(0));
        } else {
            for (Limit l : quota.limits()) {
                QuotaScript.addLimitArgs(l, args);
            }
        }
        List<?> r = (List<?>) redis.evalBinary(LUA, List.of(key), args);
        List<LimitUsage> limits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            limits.add(new LimitUsage(quota.limits().get(i), (Long) r.get(4 * i), (Long) r.get(4 * i + 1),
                    QuotaScript.micros((Long) r.get(4 * i + 2)), QuotaScript.micros((Long) r.get(4 * i + 3))));
        }
        long now = (Long) r.get(4 * n);
        return new QuotaUsage(resource, limits, DecidedBy.REDIS,
                Instant.ofEpochSecond(now / 1_000_000, (now % 1_000_000) * 1000));
    }
}
