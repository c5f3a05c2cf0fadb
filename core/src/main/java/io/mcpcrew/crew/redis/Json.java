package io.mcpcrew.crew.redis;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.lang.reflect.Type;

/**
 * The one JSON-B instance the components share (JSON-B instances are thread-safe and expensive to create).
 * Payloads are JSON; callers never build JSON by hand. Parse failures become {@link InvalidInputException}.
 */
public final class Json {
    private static volatile Jsonb jsonb;

    private Json() {
    }

    public static Jsonb jsonb() {
        Jsonb j = jsonb;
        if (j == null) {
            synchronized (Json.class) {
                if (jsonb == null) {
                    jsonb = JsonbBuilder.create();
                }
                j = jsonb;
            }
        }
        return j;
    }

    public static String toJson(Object value) {
        return jsonb().toJson(value);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        try {
            return jsonb().fromJson(json, type);
        } catch (JsonbException e) {
            throw new InvalidInputException("not valid JSON for " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    public static <T> T fromJson(String json, Type type) {
        try {
            return jsonb().fromJson(json, type);
        } catch (JsonbException e) {
            throw new InvalidInputException("not valid JSON: " + e.getMessage());
        }
    }
}
