package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.config.Durations;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.time.Duration;

/**
 * One named limit of a {@link Quota}: at most {@code max} units per {@code window}, counted by {@code algorithm}.
 * Construction checks the intrinsic rules (name, positive numbers, a window of at least 1 ms, the token bucket's
 * exact arithmetic); the configured ceilings are checked by the limiter.
 *
 * @param name      names the limit in decisions, headers and Redis fields ({@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}})
 * @param unit      {@link LimitUnit#REQUESTS}: a check consumes 1; {@link LimitUnit#TOKENS}: it consumes its cost
 * @param algorithm how the units are counted
 * @param max       units per window (for a token bucket: the sustained rate, {@code max} per {@code window})
 * @param window    the window, at least 1 ms (counted in whole microseconds)
 * @param burst     a token bucket's capacity, the most it admits at once (default {@code max}); for the other
 *                  algorithms always {@code max}
 */
public record Limit(String name, LimitUnit unit, LimitAlgorithm algorithm, long max, Duration window, long burst) {
    /** The largest token-bucket state, {@code burst × w} (see {@link #refillPerMicro()}): exact in a Lua number. */
    static final long MAX_BUCKET_STATE = 1L << 51;

    public Limit {
        Names.require("limit name", name);
        if (unit == null || algorithm == null) {
            throw new InvalidInputException("limit '" + name + "' needs a unit (requests | tokens) and an algorithm "
                    + "(exact-log | token-bucket | sliding-counter)");
        }
        if (max <= 0) {
            throw new InvalidInputException("invalid max " + max + " of limit '" + name + "': must be a positive integer");
        }
        if (window == null || window.compareTo(RateLimitPolicy.MIN_WINDOW) < 0) {
            throw new InvalidInputException("invalid window " + (window == null ? "null" : Durations.format(window))
                    + " of limit '" + name + "': must be at least 1ms");
        }
        if (algorithm != LimitAlgorithm.TOKEN_BUCKET) {
            burst = max;
        } else if (burst <= 0) {
            throw new InvalidInputException("invalid burst " + burst + " of limit '" + name + "': must be a positive integer");
        } else if (window.toNanos() / 1000 / gcd(max, window.toNanos() / 1000) > MAX_BUCKET_STATE / burst) {
            throw new InvalidInputException("limit '" + name + "' (" + max + " per " + Durations.format(window)
                    + ", burst " + burst + ") cannot be kept exactly: burst × window in µs / gcd(max, window in µs) "
                    + "must be at most 2^51; choose a max that divides the window more evenly (a round number)");
        }
    }

    /** A token bucket of capacity {@code max}, refilled at {@code max} per {@code window}. */
    public static Limit tokenBucket(String name, LimitUnit unit, long max, Duration window) {
        return new Limit(name, unit, LimitAlgorithm.TOKEN_BUCKET, max, window, max);
    }

    /** A sliding-window counter (two weighted fixed windows). */
    public static Limit slidingCounter(String name, LimitUnit unit, long max, Duration window) {
        return new Limit(name, unit, LimitAlgorithm.SLIDING_COUNTER, max, window, max);
    }

    /** The exact sliding log (only as the single limit of a policy). */
    public static Limit exactLog(String name, LimitUnit unit, long max, Duration window) {
        return new Limit(name, unit, LimitAlgorithm.EXACT_LOG, max, window, max);
    }

    /** This token bucket with another capacity. */
    public Limit withBurst(long newBurst) {
        return new Limit(name, unit, algorithm, max, window, newBurst);
    }

    /** The window in whole microseconds (what the scripts count in). */
    public long windowMicros() {
        return window.toNanos() / 1000;
    }

    /** Units one check of {@code cost} consumes: 1 for {@link LimitUnit#REQUESTS}, else the cost. */
    public long consumes(long cost) {
        return unit == LimitUnit.REQUESTS ? 1 : cost;
    }

    /** The most one check may consume and ever be admitted: the burst of a token bucket, else {@code max}. */
    public long capacity() {
        return burst;
    }

    /**
     * Token bucket, exactly in integers: with {@code g = gcd(max, windowMicros)}, one unit is {@code w =
     * windowMicros / g} state points and the bucket refills {@code m = max / g} points per microsecond. This is
     * {@code m}.
     */
    public long refillPerMicro() {
        return max / gcd(max, windowMicros());
    }

    /** Token bucket: state points per unit, {@code w} (see {@link #refillPerMicro()}). */
    public long pointsPerUnit() {
        return windowMicros() / gcd(max, windowMicros());
    }

    /** This limit with {@code max} and {@code burst} divided by {@code nodes} (at least 1): one node's share. */
    Limit share(int nodes) {
        if (nodes <= 1) {
            return this;
        }
        long mx = Math.max(1, max / nodes);
        for (long b : new long[] {Math.max(1, burst / nodes), mx}) {
            try {
                return new Limit(name, unit, algorithm, mx, window, b);
            } catch (InvalidInputException e) {
                // a share whose bucket cannot be kept exactly: try with burst = rate
            }
        }
        return this;
    }

    /** This limit under another name (an exact log is named after its resource). */
    Limit named(String newName) {
        return new Limit(newName, unit, algorithm, max, window, burst);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String toString() {
        return name + ": " + max + " " + unit.text() + " per " + Durations.format(window) + " (" + algorithm.text()
                + (algorithm == LimitAlgorithm.TOKEN_BUCKET && burst != max ? ", burst " + burst : "") + ")";
    }
}
