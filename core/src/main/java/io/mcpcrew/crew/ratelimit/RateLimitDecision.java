package io.mcpcrew.crew.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * The answer to one {@link TenantRateLimiter#tryAcquire} call.
 *
 * @param allowed    whether the request was admitted (and counted)
 * @param limit      the policy's maximum number of units in any interval of length {@code window}
 * @param window     the policy's window
 * @param remaining  units still admissible now, after this request (0 when exhausted)
 * @param resetAfter time until the oldest counted unit leaves the window, i.e. until {@code remaining} grows
 *                   again; {@link Duration#ZERO} when nothing is counted
 * @param retryAfter when refused: time until a request of the same cost would be admitted (nobody else
 *                   consuming meanwhile); {@link Duration#ZERO} when admitted
 * @param decidedBy  the path that decided: {@link DecidedBy#REDIS} or one of the fallbacks
 * @param decidedAt  the instant of the decision: the Redis server's clock ({@code TIME}, microseconds) for
 *                   {@link DecidedBy#REDIS}, this node's clock otherwise
 */
public record RateLimitDecision(boolean allowed, int limit, Duration window, int remaining, Duration resetAfter,
        Duration retryAfter, DecidedBy decidedBy, Instant decidedAt) {
}
