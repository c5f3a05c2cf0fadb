package io.mcpcrew.crew.web.embeddings;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code {"items":[{"text":"...","vector":[0.1,-0.2,...]}, ...]}}: the body of a PUT. Each vector number is read
 * from its own text with {@link Float#parseFloat} (correctly rounded to float32, {@code -0} kept), so every float
 * survives a round trip over HTTP.
 *
 * @param items the texts and their vectors, in order
 */
public record StoreRequest(List<Item> items) {
    static final String SHAPE = "{\"items\":[{\"text\":\"...\",\"vector\":[...]}]}";

    /** One text and its vector (null when the item has none: the cache refuses it with a message). */
    public record Item(String text, float[] vector) {
    }

    /** Reads the body; wrong JSON types, a missing {@code items} or {@code text} are a 400 naming the field. */
    public static StoreRequest parse(String raw) {
        JsonFields body = JsonBody.object(raw, SHAPE);
        List<JsonFields> items = body.objects("items");
        if (items == null) {
            throw new InvalidInputException("missing \"items\": send " + SHAPE);
        }
        List<Item> out = new ArrayList<>(items.size());
        for (JsonFields item : items) {
            out.add(new Item(item.requiredString("text", "the text the vector belongs to"), item.floats("vector")));
        }
        return new StoreRequest(out);
    }
}
