package io.mcpcrew.crew.web.json;

import io.mcpcrew.crew.validation.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Parses request bodies for every resource, strictly and without surprises: a malformed body, a number of more than
 * {@value #MAX_NUMBER_CHARS} characters or with an exponent beyond what a decimal can hold, or nesting deeper than
 * {@value #MAX_DEPTH} levels are each a 400 naming where they are. Numbers are kept as {@link JsonNumberText} (their
 * text and exact value) and converted only by {@link JsonFields} against a stated range, so no input reaches a
 * conversion that could overflow or throw. Parsing is iterative (no recursion on nesting).
 */
public final class JsonBody {
    /** Longest JSON number accepted anywhere (a float64 needs at most 25 characters; JSON-P refuses over 1100). */
    public static final int MAX_NUMBER_CHARS = 1000;
    /** Deepest nesting accepted here, whatever {@code redis.crew.http.max-json-depth} says (that one is checked first). */
    public static final int MAX_DEPTH = 256;

    private JsonBody() {
    }

    /** The body as a JSON object's fields; an empty body, malformed JSON or another JSON type is a 400. */
    public static JsonFields object(String raw, String shape) {
        String problem = "the request body must be a JSON object " + shape;
        if (raw == null || raw.isBlank()) {
            throw new InvalidInputException(problem + "; it is empty");
        }
        JsonValue v = parse(raw);
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidInputException(problem + ", not " + JsonFields.describe(v));
        }
        return new JsonFields("", v.asJsonObject());
    }

    /** Like {@link #object}, but an empty body is allowed: {@code null}. */
    public static JsonFields optionalObject(String raw, String shape) {
        return raw == null || raw.isBlank() ? null : object(raw, shape);
    }

    /** Any JSON value; malformed JSON, an overlong number or too deep nesting is a 400. */
    public static JsonValue parse(String raw) {
        Deque<Frame> stack = new ArrayDeque<>();
        JsonValue result = null;
        try (JsonParser p = Json.createParser(new StringReader(raw))) {
            while (p.hasNext()) {
                JsonParser.Event e = p.next();
                JsonValue v;
                switch (e) {
                    case START_OBJECT:
                    case START_ARRAY:
                        if (stack.size() >= MAX_DEPTH) {
                            throw new InvalidInputException("JSON body nested deeper than " + MAX_DEPTH + " levels at "
                                    + path(stack));
                        }
                        stack.push(new Frame(e == JsonParser.Event.START_OBJECT));
                        continue;
                    case KEY_NAME:
                        stack.peek().key = p.getString();
                        continue;
                    case END_OBJECT:
                    case END_ARRAY:
                        v = stack.pop().build();
                        break;
                    case VALUE_STRING:
                        v = Json.createValue(p.getString());
                        break;
                    case VALUE_NUMBER:
                        v = number(p.getString(), stack);
                        break;
                    case VALUE_TRUE:
                        v = JsonValue.TRUE;
                        break;
                    case VALUE_FALSE:
                        v = JsonValue.FALSE;
                        break;
                    default:
                        v = JsonValue.NULL;
                }
                if (stack.isEmpty()) {
                    result = v;
                } else {
                    stack.peek().add(v);
                }
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) { // JsonParsingException, JsonException, and whatever else an implementation throws
            throw new InvalidInputException("malformed JSON body: " + firstLine(e.getMessage()));
        }
        if (result == null) {
            throw new InvalidInputException("malformed JSON body: no JSON value");
        }
        return result;
    }

    private static JsonNumberText number(String text, Deque<Frame> stack) {
        if (text.length() > MAX_NUMBER_CHARS) {
            throw new InvalidInputException("number at " + path(stack) + " has " + text.length()
                    + " characters: a JSON number may have at most " + MAX_NUMBER_CHARS);
        }
        try {
            return new JsonNumberText(text, new BigDecimal(text));
        } catch (NumberFormatException | ArithmeticException e) { // an exponent beyond ±2^31
            throw new InvalidInputException("number at " + path(stack) + " is out of range: "
                    + JsonFields.abbreviate(text) + " (its exponent must be within ±2147483647)");
        }
    }

    /** Where the parser is, for messages: {@code body}, {@code items[2].vector[0]}, {@code data.k}. */
    private static String path(Deque<Frame> stack) {
        StringBuilder b = new StringBuilder();
        for (Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
            Frame f = it.next();
            if (f.object) {
                if (f.key != null) {
                    b.append(b.length() == 0 ? "" : ".").append(f.key);
                }
            } else {
                b.append('[').append(f.count).append(']');
            }
        }
        return b.length() == 0 ? "the top level" : "\"" + JsonFields.abbreviate(b.toString()) + "\"";
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unreadable body";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** One open object or array. */
    private static final class Frame {
        final boolean object;
        final JsonObjectBuilder obj;
        final JsonArrayBuilder arr;
        String key;
        int count;

        Frame(boolean object) {
            this.object = object;
            this.obj = object ? Json.createObjectBuilder() : null;
            this.arr = object ? null : Json.createArrayBuilder();
        }

        void add(JsonValue v) {
            if (object) {
                obj.add(key, v);
                key = null;
            } else {
                arr.add(v);
            }
            count++;
        }

        JsonValue build() {
            return object ? obj.build() : arr.build();
        }
    }
}
