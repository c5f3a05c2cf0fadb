package io.mcpcrew.crew.ratelimit;

import java.time.Duration;

/**
 * One limit's part of a {@link QuotaDecision}.
 *
 * @param limit      the limit
 * @param remaining  units this limit still admits now, after the decision (0 when exhausted)
 * @param resetAfter time until nothing is counted against this limit any more ({@code remaining} back at its
 *                   full value) if nothing else is consumed; {@link Duration#ZERO} when nothing is counted. For an
 *                   exact log: until the oldest counted unit leaves the window
 * @param retryAfter time until this limit alone would admit the check; {@link Duration#ZERO} when it admits it now
 */
public record LimitState(Limit limit, long remaining, Duration resetAfter, Duration retryAfter) {

    /** True if this limit admits the check now. */
    public boolean admits() {
        return retryAfter.isZero();
    }
}
