package io.mcpcrew.crew.ratelimit;

import io.mcpcrew.crew.validation.InvalidInputException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A policy of one or more named {@link Limit}s checked together, all or nothing: a check is admitted only if every
 * limit admits it, and then consumed from every one (e.g. 60 requests per minute AND 150,000 tokens per minute AND
 * 2,000,000 tokens per day). At most {@value #MAX_LIMITS} limits with distinct names; an
 * {@link LimitAlgorithm#EXACT_LOG} limit only alone (that is a {@link RateLimitPolicy}, the exact log of one key).
 *
 * @param limits the limits, in the order decisions and headers list them
 */
public record Quota(List<Limit> limits) {
    public static final int MAX_LIMITS = 8;

    public Quota {
        if (limits == null || limits.isEmpty() || limits.size() > MAX_LIMITS) {
            throw new InvalidInputException("a policy needs 1 to " + MAX_LIMITS + " limits, got "
                    + (limits == null ? 0 : limits.size()));
        }
        limits = List.copyOf(limits);
        Set<String> names = new HashSet<>();
        for (Limit l : limits) {
            if (!names.add(l.name())) {
                throw new InvalidInputException("duplicate limit name '" + l.name() + "': the limits of a policy "
                        + "need distinct names");
            }
            if (l.algorithm() == LimitAlgorithm.EXACT_LOG && limits.size() > 1) {
                throw new InvalidInputException("limit '" + l.name() + "' is an exact-log limit: an exact log is a "
                        + "policy of its own (one limit); combine token-bucket and sliding-counter limits instead");
            }
        }
    }

    public static Quota of(Limit... limits) {
        return new Quota(List.of(limits));
    }

    /** The exact log of {@code policy}, as a quota: one {@link LimitUnit#TOKENS} limit named after the resource. */
    public static Quota of(String resource, RateLimitPolicy policy) {
        return of(Limit.exactLog(resource, LimitUnit.TOKENS, policy.maxRequests(), policy.window()));
    }

    /** True for the exact log of one limit: decided on the resource's LIST key, as a {@link RateLimitPolicy}. */
    public boolean isExactLog() {
        return limits.get(0).algorithm() == LimitAlgorithm.EXACT_LOG;
    }

    /** An exact log named after {@code resource} (its header and key name); any other quota as it is. */
    Quota forResource(String resource) {
        Limit l = limits.get(0);
        return isExactLog() && !l.name().equals(resource) ? of(l.named(resource)) : this;
    }

    /** Each limit's share of one node of {@code nodes} (the local fallback). */
    Quota share(int nodes) {
        if (nodes <= 1) {
            return this;
        }
        return new Quota(limits.stream().map(l -> l.share(nodes)).toList());
    }

    /** This exact log as a {@link RateLimitPolicy}; throws for any other quota. */
    public RateLimitPolicy toPolicy() {
        Limit l = limits.get(0);
        if (!isExactLog() || l.max() > Integer.MAX_VALUE) {
            throw new InvalidInputException("the policy " + this + " is not a single exact-log limit of at most "
                    + Integer.MAX_VALUE + ": read it as a Quota (quota(), consume())");
        }
        return RateLimitPolicy.of((int) l.max(), l.window());
    }

    /** Checks that a check of {@code cost} could ever be admitted: at least 1 and within every limit it consumes. */
    void requireCost(long cost) {
        if (cost < 1) {
            throw new InvalidInputException("invalid cost " + cost + ": must be at least 1");
        }
        for (Limit l : limits) {
            if (l.consumes(cost) > l.capacity()) {
                throw new InvalidInputException("invalid cost " + cost + ": more than limit '" + l.name() + "' ("
                        + l + ") can ever admit at once (" + l.capacity() + ")");
            }
        }
    }

    /** The smallest {@link Limit#capacity()} among the limits that count tokens ({@code Long.MAX_VALUE}: none). */
    public long maxCost() {
        long c = Long.MAX_VALUE;
        for (Limit l : limits) {
            if (l.unit() == LimitUnit.TOKENS) {
                c = Math.min(c, l.capacity());
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return limits.toString();
    }
}
