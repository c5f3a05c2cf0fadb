package io.mcpcrew.crew.web.sessions;

import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;
import java.util.Map;

/**
 * Body of {@code POST .../sessions}: {@code {"userId", "data", "ttlSeconds" | "importance"}}.
 *
 * @param userId     the user (validated by the session manager)
 * @param data       the session's fields (empty when not given)
 * @param ttlSeconds an explicit TTL, or null
 * @param importance an importance name, or null
 */
public record CreateSessionRequest(String userId, Map<String, Object> data, Long ttlSeconds, String importance) {
    static final String SHAPE = "{\"userId\", \"data\", \"ttlSeconds\" | \"importance\"}";

    /** Reads the body; wrong JSON types and a TTL outside 1..{@code maxTtlSeconds} are a 400 naming the field. */
    static CreateSessionRequest parse(String raw, long maxTtlSeconds) {
        JsonFields body = JsonBody.object(raw, SHAPE);
        JsonFields data = body.object("data");
        return new CreateSessionRequest(body.string("userId"), data == null ? Map.of() : data.toMap(),
                SessionResource.ttlSeconds(body, maxTtlSeconds), body.string("importance"));
    }
}
