package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.ratelimit.RateLimitDecision;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Duration;

/**
 * The response fields of draft-ietf-httpapi-ratelimit-headers-10 (structured-field form, also unchanged in -11):
 * {@code RateLimit-Policy: "<resource>";q=<maxRequests>;w=<windowSeconds>} and
 * {@code RateLimit: "<resource>";r=<remaining>;t=<seconds until a unit is freed>}, plus {@code Retry-After}
 * (RFC 9110, whole seconds, at least 1) when a request is refused. Seconds are rounded up, never down, so a
 * client that waits {@code t} or {@code Retry-After} seconds is never early.
 */
public final class RateLimitHeaders {
    public static final String POLICY = "RateLimit-Policy";
    public static final String RATE_LIMIT = "RateLimit";
    public static final String RETRY_AFTER = "Retry-After";

    private RateLimitHeaders() {
    }

    /** Adds the fields for {@code decision} on {@code resource} (a valid name, so a valid sf-string). */
    public static void add(MultivaluedMap<String, Object> headers, String resource, RateLimitDecision decision) {
        headers.putSingle(POLICY, policy(resource, decision));
        headers.putSingle(RATE_LIMIT, rateLimit(resource, decision));
        if (!decision.allowed()) {
            headers.putSingle(RETRY_AFTER, String.valueOf(Math.max(1, secondsCeil(decision.retryAfter()))));
        }
    }

    public static String policy(String resource, RateLimitDecision d) {
        return "\"" + resource + "\";q=" + d.limit() + ";w=" + Math.max(1, secondsCeil(d.window()));
    }

    public static String rateLimit(String resource, RateLimitDecision d) {
        return "\"" + resource + "\";r=" + d.remaining() + ";t=" + secondsCeil(d.resetAfter());
    }

    static long secondsCeil(Duration d) {
        long nanos = d.toNanos();
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
