package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;

/**
 * The numbers of a limit in a request: {@code {"maxRequests":100,"windowSeconds":60,"cost":1}} (a check) or
 * {@code {"maxRequests":100,"windowSeconds":60}} (a policy of one exact-log limit). Each is null when not given; the
 * limiter checks them against its configured ceilings. Policies of other limits: {@link QuotaJson}.
 *
 * @param maxRequests   1 to 2147483647
 * @param windowSeconds 1 to {@value #MAX_WINDOW_SECONDS}
 * @param cost          1 to 2147483647 (and at most maxRequests)
 */
public record LimitRequest(Integer maxRequests, Long windowSeconds, Integer cost) {
    /** The longest window any request may name: 366 days (the configured window ceiling is usually far lower). */
    public static final long MAX_WINDOW_SECONDS = 366L * 24 * 3600;

    /** Reads a body; an empty body is all fields absent. Wrong JSON types and out-of-range numbers are a 400. */
    static LimitRequest parse(String raw, boolean withCost) {
        String shape = withCost ? "{\"maxRequests\", \"windowSeconds\", \"cost\"}" : "{\"maxRequests\", \"windowSeconds\"}";
        return of(JsonBody.optionalObject(raw, shape), withCost);
    }

    /** The numbers of a parsed body (null: all absent). */
    static LimitRequest of(JsonFields b, boolean withCost) {
        if (b == null) {
            return new LimitRequest(null, null, null);
        }
        return new LimitRequest(b.int32("maxRequests", 1, Integer.MAX_VALUE),
                b.integer("windowSeconds", 1, MAX_WINDOW_SECONDS, "366 days; the configured window ceiling applies too"),
                withCost ? b.int32("cost", 1, Integer.MAX_VALUE) : null);
    }
}
