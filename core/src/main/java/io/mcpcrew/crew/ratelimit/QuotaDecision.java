package io.mcpcrew.crew.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The answer to one check of a {@link Quota} ({@link TenantRateLimiter#consume}) or one {@link
 * TenantRateLimiter#adjust}: all its limits decided together.
 *
 * @param allowed    whether the check was admitted (and consumed from every limit); always true for an adjust
 * @param refusedBy  when refused: the name of the limit that refused it for the longest (the one to wait for);
 *                   null when admitted
 * @param retryAfter when refused: time until every limit would admit a check of the same cost (nobody else
 *                   consuming meanwhile); {@link Duration#ZERO} when admitted
 * @param limits     each limit's state after the decision, in the quota's order
 * @param decidedBy  the path that decided
 * @param decidedAt  the Redis server's clock for {@link DecidedBy#REDIS}, this node's clock otherwise
 */
public record QuotaDecision(boolean allowed, String refusedBy, Duration retryAfter, List<LimitState> limits,
        DecidedBy decidedBy, Instant decidedAt) {

    public QuotaDecision {
        limits = List.copyOf(limits);
    }

    /** The state of the limit named {@code name}; throws {@link IllegalArgumentException} if there is none. */
    public LimitState limit(String name) {
        for (LimitState s : limits) {
            if (s.limit().name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no limit '" + name + "' in " + limits);
    }

    /**
     * The limit that binds: the refusing one when refused, else the one with the least remaining share of its max
     * (the first on a tie).
     */
    public LimitState binding() {
        if (refusedBy != null) {
            return limit(refusedBy);
        }
        LimitState best = limits.get(0);
        for (LimitState s : limits) {
            if ((double) s.remaining() / s.limit().max() < (double) best.remaining() / best.limit().max()) {
                best = s;
            }
        }
        return best;
    }

    /** The exact log's decision as a quota decision of its one limit. */
    static QuotaDecision of(Limit limit, RateLimitDecision d) {
        LimitState s = new LimitState(limit, d.remaining(), d.resetAfter(), d.retryAfter());
        return new QuotaDecision(d.allowed(), d.allowed() ? null : limit.name(), d.retryAfter(), List.of(s),
                d.decidedBy(), d.decidedAt());
    }

    /** This decision summed up by its {@link #binding()} limit, in the form of a single-limit decision. */
    public RateLimitDecision toRateLimitDecision() {
        LimitState b = binding();
        return new RateLimitDecision(allowed, (int) Math.min(Integer.MAX_VALUE, b.limit().max()), b.limit().window(),
                (int) Math.min(Integer.MAX_VALUE, b.remaining()), b.resetAfter(), retryAfter, decidedBy, decidedAt);
    }
}
