package io.mcpcrew.crew.web.embeddings;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.web.json.JsonBody;
import java.util.List;

/**
 * {@code {"texts":["...", ...]}}: the body of a lookup.
 *
 * @param texts the texts to look up, in order
 */
public record LookupRequest(List<String> texts) {
    static final String SHAPE = "{\"texts\":[\"...\"]}";

    /** Reads the body; a missing {@code texts} or an entry that is not a string is a 400 naming it. */
    public static LookupRequest parse(String raw) {
        List<String> texts = JsonBody.object(raw, SHAPE).strings("texts");
        if (texts == null) {
            throw new InvalidInputException("missing \"texts\": send " + SHAPE);
        }
        return new LookupRequest(texts);
    }
}
