package io.mcpcrew.crew.web.json;

import io.mcpcrew.crew.validation.InvalidInputException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed, strict access to the fields of one JSON object of a request: a field of the wrong JSON type, an integer
 * field holding a fraction or a number outside its range, is a 400 whose message names the field (by its path in
 * the body: {@code "items[2].text"}), the rule and the value received. An absent field and {@code null} are the
 * same: "not given" (the accessors answer {@code null}).
 *
 * @param where the path of this object in the body ({@code ""} for the body itself)
 * @param json  the object
 */
public record JsonFields(String where, JsonObject json) {

    /** The field's value, or null when absent or JSON {@code null}. */
    public JsonValue value(String name) {
        JsonValue v = json.get(name);
        return v == null || v.getValueType() == JsonValue.ValueType.NULL ? null : v;
    }

    /** True if the field is present and not {@code null}. */
    public boolean has(String name) {
        return value(name) != null;
    }

    /** A string field, or null when not given. */
    public String string(String name) {
        JsonValue v = value(name);
        if (v == null) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw wrongType(path(name), "a string", v);
        }
        return ((JsonString) v).getString();
    }

    /** A string field that must be given; {@code hint} says what it is (e.g. "the event type, e.g. \"agent\""). */
    public String requiredString(String name, String hint) {
        String s = string(name);
        if (s == null) {
            throw new InvalidInputException("field " + quote(path(name)) + " is required: " + hint);
        }
        return s;
    }

    /** An integer field from {@code min} to {@code max}, or null when not given. */
    public Long integer(String name, long min, long max) {
        return integer(name, min, max, null);
    }

    /** {@link #integer(String, long, long)} whose message names where the bound comes from ({@code source}). */
    public Long integer(String name, long min, long max, String source) {
        JsonValue v = value(name);
        return v == null ? null : integer(path(name), v, min, max, source);
    }

    /** An integer field that fits an {@code int}, from {@code min} to {@code max}, or null when not given. */
    public Integer int32(String name, int min, int max) {
        Long l = integer(name, min, max);
        return l == null ? null : l.intValue();
    }

    /** A JSON object field, or null when not given. */
    public JsonFields object(String name) {
        JsonValue v = value(name);
        if (v == null) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw wrongType(path(name), "a JSON object", v);
        }
        return new JsonFields(path(name), v.asJsonObject());
    }

    /** A JSON array field, or null when not given. */
    public JsonArray array(String name) {
        JsonValue v = value(name);
        if (v == null) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.ARRAY) {
            throw wrongType(path(name), "an array", v);
        }
        return v.asJsonArray();
    }

    /** An array of strings (no null entries), or null when not given. */
    public List<String> strings(String name) {
        JsonArray a = array(name);
        if (a == null) {
            return null;
        }
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonValue v = a.get(i);
            if (v.getValueType() != JsonValue.ValueType.STRING) {
                throw wrongType(path(name) + "[" + i + "]", "a string", v);
            }
            out.add(((JsonString) v).getString());
        }
        return out;
    }

    /** An array of objects (no null entries), or null when not given. */
    public List<JsonFields> objects(String name) {
        JsonArray a = array(name);
        if (a == null) {
            return null;
        }
        List<JsonFields> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonValue v = a.get(i);
            String at = path(name) + "[" + i + "]";
            if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                throw wrongType(at, "a JSON object", v);
            }
            out.add(new JsonFields(at, v.asJsonObject()));
        }
        return out;
    }

    /**
     * An array of numbers as float32 (each correctly rounded from its text, {@code -0} kept), or null when not
     * given; a number that does not fit a float32 (rounds to infinity) is a 400.
     */
    public float[] floats(String name) {
        JsonArray a = array(name);
        if (a == null) {
            return null;
        }
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonValue v = a.get(i);
            String at = path(name) + "[" + i + "]";
            if (v.getValueType() != JsonValue.ValueType.NUMBER) {
                throw wrongType(at, "a number", v);
            }
            float f = Float.parseFloat(v.toString()); // JsonNumberText: the number's own text
            if (Float.isInfinite(f)) {
                throw new InvalidInputException("field " + quote(at) + " must be a finite float32 number (magnitude "
                        + "below 3.4028235e38), got " + abbreviate(v.toString()));
            }
            out[i] = f;
        }
        return out;
    }

    /** The object as plain Java values (String, BigDecimal, Boolean, null, List, Map), for the components. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toMap() {
        return (Map<String, Object>) io.mcpcrew.crew.validation.Json.toJava(json);
    }

    /** An integer from {@code min} to {@code max}; {@code at} names it in the message. */
    static long integer(String at, JsonValue v, long min, long max, String source) {
        String rule = "must be an integer from " + min + " to " + max + (source == null ? "" : " (" + source + ")");
        if (v.getValueType() != JsonValue.ValueType.NUMBER) {
            throw new InvalidInputException("field " + quote(at) + " " + rule + ", got " + describe(v));
        }
        BigDecimal d = ((JsonNumber) v).bigDecimalValue();
        // range first: comparing is cheap for any exponent, the whole-number test is then on a bounded value
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new InvalidInputException("field " + quote(at) + " " + rule + ", got " + abbreviate(v.toString()));
        }
        if (!(v instanceof JsonNumberText ? ((JsonNumberText) v).isWhole() : d.stripTrailingZeros().scale() <= 0)) {
            throw new InvalidInputException("field " + quote(at) + " " + rule + " (no fraction), got " + abbreviate(v.toString()));
        }
        return d.longValueExact();
    }

    private String path(String name) {
        return where.isEmpty() ? name : where + "." + name;
    }

    private static InvalidInputException wrongType(String at, String expected, JsonValue got) {
        return new InvalidInputException("field " + quote(at) + " must be " + expected + ", got " + describe(got));
    }

    /** What a value is, for messages: {@code a string "12"}, {@code the number 7}, {@code an array}, ... */
    public static String describe(JsonValue v) {
        switch (v.getValueType()) {
            case STRING:
                return "a string \"" + abbreviate(((JsonString) v).getString()) + "\"";
            case NUMBER:
                return "the number " + abbreviate(v.toString());
            case TRUE:
                return "true";
            case FALSE:
                return "false";
            case NULL:
                return "null";
            case ARRAY:
                return "an array";
            default:
                return "a JSON object";
        }
    }

    static String quote(String path) {
        return "\"" + path + "\"";
    }

    /** At most 40 characters of a value, saying how long it was when cut. */
    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "... (" + s.length() + " characters)";
    }
}
