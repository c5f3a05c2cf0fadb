package io.mcpcrew.crew.ratelimit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The per-node token buckets and sliding counters used while Redis is unreachable ({@link FallbackMode#LOCAL}):
 * the arithmetic of {@code quota.lua}, all or nothing over a quota's limits, in memory, on this node's monotonic
 * clock (counter windows aligned on its zero). The caller passes the quota scaled to this node's share. At most
 * {@code maxKeys} keys are kept (when full, keys counting nothing are dropped first, then the least recently used).
 */
final class LocalQuotas {
    private final LocalStates<State> states;
    private final LongSupplier nanoClock;

    LocalQuotas(int maxKeys, LongSupplier nanoClock) {
        this.states = new LocalStates<>(maxKeys, State::new);
        this.nanoClock = nanoClock;
    }

    /** A check of {@code amount} ({@code check}) or an adjust by it, on {@code key}'s state. */
    QuotaDecision decide(String key, Quota quota, boolean check, long amount) {
        State s = states.get(key, nanoClock.getAsLong() / 1000);
        synchronized (s) { // the clock read under the lock: a state's time never goes back
            return s.decide(nanoClock.getAsLong() / 1000, quota, check, amount);
        }
    }

    /** What {@code key}'s state counts now against every limit of {@code quota} (this node's share), read only. */
    QuotaUsage usage(String key, String resource, Quota quota) {
        State s = states.find(key);
        if (s == null) {
            s = new State(); // nothing counted: read as an empty state, which is not kept
        }
        synchronized (s) {
            return new QuotaUsage(resource, s.usage(nanoClock.getAsLong() / 1000, quota), DecidedBy.LOCAL_FALLBACK,
                    Instant.now());
        }
    }

    /** Forgets every state (called when Redis is back: Redis is the truth again). */
    void clear() {
        states.clear();
    }

    int size() {
        return states.size();
    }

    /** One key's state: per limit name {v, x} as in the script's fields, at time t (µs). */
    private static final class State implements LocalStates.State {
        private final Map<String, long[]> fields = new HashMap<>();
        private long t = Long.MIN_VALUE;
        private long lives = Long.MIN_VALUE;

        @Override
        public boolean idle(long now) {
            return lives <= now;
        }

        @Override
        public long lastUsed() {
            return t;
        }

        QuotaDecision decide(long now, Quota quota, boolean check, long amount) {
            int n = quota.limits().size();
            long[][] next = new long[n][]; // per limit {before, after, x, retry, window index}
            int refused = -1;
            long wait = 0;
            for (int i = 0; i < n; i++) {
                Limit l = quota.limits().get(i);
                long[] f = fields.get(l.name());
                long v = f == null || t == Long.MIN_VALUE ? 0 : f[0];
                long x = f == null || t == Long.MIN_VALUE ? 0 : f[1];
                long units = l.unit() == LimitUnit.TOKENS ? amount : check ? 1 : 0;
                next[i] = l.algorithm() == LimitAlgorithm.TOKEN_BUCKET ? bucket(l, now, v, x, units, check)
                        : counter(l, now, v, x, units, check);
                if (next[i][3] > wait) {
                    wait = next[i][3];
                    refused = i;
                }
            }
            boolean consumed = refused < 0 || !check;
            List<LimitState> out = new ArrayList<>(n);
            long until = now;
            for (int i = 0; i < n; i++) {
                Limit l = quota.limits().get(i);
                long v = consumed ? next[i][1] : next[i][0];
                long[] r = l.algorithm() == LimitAlgorithm.TOKEN_BUCKET ? bucketState(l, v)
                        : counterState(l, now, v, next[i][2], next[i][4]);
                out.add(new LimitState(l, r[0], QuotaScript.micros(r[1]), QuotaScript.micros(next[i][3])));
                until = Math.max(until, now + r[1]);
            }
            if (consumed) {
                for (int i = 0; i < n; i++) {
                    fields.put(quota.limits().get(i).name(), new long[] {next[i][1], next[i][2]});
                }
                t = now;
                lives = until;
            }
            return new QuotaDecision(refused < 0, refused < 0 ? null : quota.limits().get(refused).name(),
                    QuotaScript.micros(wait), out, DecidedBy.LOCAL_FALLBACK, Instant.now());
        }

        /** Every limit's usage at {@code now}: the state a check of one unit would start from, nothing changed. */
        List<LimitUsage> usage(long now, Quota quota) {
            List<LimitUsage> out = new ArrayList<>(quota.limits().size());
            for (Limit l : quota.limits()) {
                long[] f = fields.get(l.name());
                long v = f == null || t == Long.MIN_VALUE ? 0 : f[0];
                long x = f == null || t == Long.MIN_VALUE ? 0 : f[1];
                long used;
                long[] r;
                long retry;
                if (l.algorithm() == LimitAlgorithm.TOKEN_BUCKET) {
                    long[] b = bucket(l, now, v, x, 1, true);
                    long w = l.pointsPerUnit();
                    used = (b[0] + w - 1) / w;
                    r = bucketState(l, b[0]);
                    retry = b[3];
                } else {
                    long[] c = counter(l, now, v, x, 1, true);
                    long w = l.windowMicros();
                    long el = now - c[4] * w;
                    used = c[0] + (long) Math.ceil((double) c[2] * (w - el) / w);
                    r = counterState(l, now, c[0], c[2], c[4]);
                    retry = c[3];
                }
                out.add(new LimitUsage(l, used, r[0], QuotaScript.micros(r[1]), QuotaScript.micros(retry)));
            }
            return out;
        }

        private long[] bucket(Limit l, long now, long v, long x, long units, boolean check) {
            long m = l.refillPerMicro();
            long w = l.pointsPerUnit();
            long cap = l.burst() * w;
            if (v > 0 && x > 0 && x != w) {
                v = (long) Math.ceil((double) v * w / x);
            }
            long el = now - t;
            if (t != Long.MIN_VALUE && el > 0) {
                v = el >= (v + m - 1) / m ? 0 : v - el * m;
            }
            long after = v + clamp(units, 2 * l.burst()) * w;
            long retry = 0;
            if (!check) {
                after = Math.max(0, Math.min(2 * cap, after));
            } else if (after > cap) {
                retry = (after - cap + m - 1) / m;
                after = v;
            }
            return new long[] {v, after, w, retry, 0};
        }

        /** {remaining, resetAfter µs} of a token bucket owing {@code v} points. */
        private static long[] bucketState(Limit l, long v) {
            long m = l.refillPerMicro();
            long w = l.pointsPerUnit();
            return new long[] {Math.max(0, (l.burst() * w - v) / w), (v + m - 1) / m};
        }

        private long[] counter(Limit l, long now, long v, long x, long units, boolean check) {
            long w = l.windowMicros();
            long max = l.max();
            long k = Math.floorDiv(now, w);
            long cur = 0;
            long prev = 0;
            if (t != Long.MIN_VALUE) {
                long kt = Math.floorDiv(t, w);
                if (kt >= k) {
                    cur = v;
                    prev = x;
                } else if (kt == k - 1) {
                    prev = v;
                }
            }
            long before = cur;
            long el = now - k * w;
            long retry = 0;
            if (!check) {
                if (units >= 0) {
                    cur = Math.min(cur + units, 2 * max);
                } else if (-units <= cur) {
                    cur += units;
                } else {
                    prev = Math.max(0, prev + units + cur);
                    cur = 0;
                }
            } else if (cur + units <= max && (double) prev * (w - el) + (double) (cur + units) * w <= (double) max * w) {
                cur += units;
            } else {
                retry = counterRetry(cur, prev, units, w, max, k, el, now);
            }
            return new long[] {before, cur, prev, retry, k};
        }

        /** {remaining, resetAfter µs} of a sliding counter holding {@code cur} and {@code prev} in window k. */
        private static long[] counterState(Limit l, long now, long cur, long prev, long k) {
            long w = l.windowMicros();
            long el = now - k * w;
            long remaining = Math.max(0, (long) Math.floor(l.max() - cur - (double) prev * (w - el) / w));
            return new long[] {remaining, cur > 0 ? (k + 2) * w - now : prev > 0 ? w - el : 0};
        }

        private static long counterRetry(long cur, long prev, long units, long w, long max, long k, long el, long now) {
            if (cur + units <= max && prev > 0) {
                long need = w - (long) Math.floor((double) (max - cur - units) * w / prev);
                if (need < w) {
                    return Math.max(1, need - el);
                }
            }
            long need = cur > 0 ? Math.max(0, w - (long) Math.floor((double) (max - units) * w / cur)) : 0;
            return Math.max(1, (k + 1) * w + need - now);
        }

        private static long clamp(long units, long bound) {
            return Math.max(-bound, Math.min(bound, units));
        }
    }
}
