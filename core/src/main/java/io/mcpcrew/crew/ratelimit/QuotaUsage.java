package io.mcpcrew.crew.ratelimit;

import java.time.Instant;
import java.util.List;

/**
 * The current usage of a resource's policy ({@link TenantRateLimiter#usage}): every limit's count, read in one
 * round trip without consuming or writing anything.
 *
 * @param resource  the resource
 * @param limits    each limit's usage, in the policy's order
 * @param decidedBy who answered: {@link DecidedBy#REDIS} (the counts every node shares), or, while Redis is
 *                  unreachable, the fallback: {@link DecidedBy#LOCAL_FALLBACK} (this node's counts of its share),
 *                  {@link DecidedBy#FAIL_OPEN} or {@link DecidedBy#FAIL_CLOSED} (nothing counted)
 * @param readAt    the Redis server's clock for {@link DecidedBy#REDIS}, this node's clock otherwise
 */
public record QuotaUsage(String resource, List<LimitUsage> limits, DecidedBy decidedBy, Instant readAt) {

    public QuotaUsage {
        limits = List.copyOf(limits);
    }

    /** The usage of the limit named {@code name}; throws {@link IllegalArgumentException} if there is none. */
    public LimitUsage limit(String name) {
        for (LimitUsage u : limits) {
            if (u.limit().name().equals(name)) {
                return u;
            }
        }
        throw new IllegalArgumentException("no limit '" + name + "' in " + limits);
    }
}
