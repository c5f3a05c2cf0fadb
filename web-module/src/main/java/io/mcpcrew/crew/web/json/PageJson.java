package io.mcpcrew.crew.web.json;

import io.mcpcrew.crew.paging.Page;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.function.Function;

/**
 * One page of a list in JSON: {@code {"<items>":[...],"nextCursor":"..."|null}}; the caller may add fields first
 * ({@link #builder}). {@code nextCursor} is passed back as {@code ?cursor=} for the next page; null on the last page.
 */
public final class PageJson {
    private PageJson() {
    }

    public static <T> JsonObject of(String items, Page<T> page, Function<T, JsonValue> item) {
        return builder(Json.createObjectBuilder(), items, page, item).build();
    }

    public static <T> JsonObjectBuilder builder(JsonObjectBuilder b, String items, Page<T> page,
            Function<T, JsonValue> item) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (T t : page.items()) {
            a.add(item.apply(t));
        }
        b.add(items, a);
        if (page.nextCursor() == null) {
            b.addNull("nextCursor");
        } else {
            b.add("nextCursor", page.nextCursor());
        }
        return b;
    }
}
