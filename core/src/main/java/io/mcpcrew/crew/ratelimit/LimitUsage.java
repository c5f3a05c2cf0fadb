package io.mcpcrew.crew.ratelimit;

import java.time.Duration;

/**
 * One limit's part of a {@link QuotaUsage}: what it counts now, read without consuming anything.
 *
 * @param limit      the limit (while Redis is unreachable and {@link FallbackMode#LOCAL}: this node's share of it)
 * @param used       units counted against the limit now: an exact log's units in the window ending now (exact); a
 *                   token bucket's units consumed and not yet refilled (rounded up); a sliding counter's estimate of
 *                   the sliding window, the current window's units plus the previous one's weighted by how much of
 *                   it still overlaps (rounded up; its error: {@code docs/ratelimit.md} "Choosing an algorithm").
 *                   Unless an adjust put the limit in debt, {@code used + remaining} is its {@link Limit#capacity()}
 * @param remaining  units a check could consume now (what a check's {@link LimitState#remaining()} starts from)
 * @param resetAfter time until nothing is counted against the limit if nothing else is consumed;
 *                   {@link Duration#ZERO} when nothing is
 * @param retryAfter time until the limit admits one more unit; {@link Duration#ZERO} when it does now
 */
public record LimitUsage(Limit limit, long used, long remaining, Duration resetAfter, Duration retryAfter) {

    /** True if the limit admits one more unit now. */
    public boolean admits() {
        return retryAfter.isZero();
    }
}
