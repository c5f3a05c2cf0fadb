package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.ratelimit.LimitState;
import io.mcpcrew.crew.ratelimit.QuotaDecision;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Duration;

/**
 * The response fields of draft-ietf-httpapi-ratelimit-headers-10 (structured-field form, also unchanged in -11), one
 * list member per limit: {@code RateLimit-Policy: "<name>";q=<max>;w=<windowSeconds>, ...} and
 * {@code RateLimit: "<name>";r=<remaining>;t=<seconds until nothing is counted>, ...}, plus {@code Retry-After}
 * (RFC 9110, whole seconds, at least 1) when a request is refused. A policy of one limit is named after the
 * resource; each limit of a policy of several is {@code <resource>.<limit>} (names never hold a dot, so these
 * cannot collide). Seconds are rounded up, never down, so a client that waits {@code t} or {@code Retry-After}
 * seconds is never early. For an exact log {@code t} is the time until its oldest counted unit is freed.
 */
public final class RateLimitHeaders {
    public static final String POLICY = "RateLimit-Policy";
    public static final String RATE_LIMIT = "RateLimit";
    public static final String RETRY_AFTER = "Retry-After";

    private RateLimitHeaders() {
    }

    /** Adds the fields for {@code decision} on {@code resource} (a valid name, so a valid sf-string). */
    public static void add(MultivaluedMap<String, Object> headers, String resource, QuotaDecision decision) {
        StringBuilder policy = new StringBuilder();
        StringBuilder rateLimit = new StringBuilder();
        boolean one = decision.limits().size() == 1;
        for (LimitState s : decision.limits()) {
            String name = "\"" + (one ? resource : resource + "." + s.limit().name()) + "\"";
            policy.append(policy.length() == 0 ? "" : ", ").append(name).append(";q=").append(s.limit().max())
                    .append(";w=").append(Math.max(1, secondsCeil(s.limit().window())));
            rateLimit.append(rateLimit.length() == 0 ? "" : ", ").append(name).append(";r=").append(s.remaining())
                    .append(";t=").append(secondsCeil(s.resetAfter()));
        }
        headers.putSingle(POLICY, policy.toString());
        headers.putSingle(RATE_LIMIT, rateLimit.toString());
        if (!decision.allowed()) {
            headers.putSingle(RETRY_AFTER, String.valueOf(Math.max(1, secondsCeil(decision.retryAfter()))));
        }
    }

    static long secondsCeil(Duration d) {
        long nanos = d.toNanos();
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
