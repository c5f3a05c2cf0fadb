package io.mcpcrew.crew.validation;

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

    /**
     * A JSON-P value as a plain Java value: String, BigDecimal (numbers keep their exact value), Boolean, null,
     * List, or an insertion-ordered Map.
     */
    public static Object toJava(jakarta.json.JsonValue v) {
        switch (v.getValueType()) {
            case STRING:
                return ((jakarta.json.JsonString) v).getString();
            case NUMBER:
                return ((jakarta.json.JsonNumber) v).bigDecimalValue();
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case NULL:
                return null;
            case ARRAY: {
                java.util.List<Object> l = new java.util.ArrayList<>();
                for (jakarta.json.JsonValue x : v.asJsonArray()) {
                    l.add(toJava(x));
                }
                return l;
            }
            default: {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                v.asJsonObject().forEach((k, x) -> m.put(k, toJava(x)));
                return m;
            }
        }
    }
}
