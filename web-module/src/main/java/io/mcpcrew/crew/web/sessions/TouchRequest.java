package io.mcpcrew.crew.web.sessions;

import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;

/**
 * Optional body of {@code POST .../sessions/{id}/touch}: {@code {"ttlSeconds": n}} sets a new TTL.
 *
 * @param ttlSeconds the new TTL, or null: renew by the session's own TTL
 */
public record TouchRequest(Long ttlSeconds) {

    /** Reads the body; an empty body is "no new TTL". */
    static TouchRequest parse(String raw, long maxTtlSeconds) {
        JsonFields body = JsonBody.optionalObject(raw, "{\"ttlSeconds\": n} (or no body)");
        return new TouchRequest(body == null ? null : SessionResource.ttlSeconds(body, maxTtlSeconds));
    }
}
