package io.mcpcrew.crew.web.embeddings;

import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact JSON for float32 vectors. JSON-B's default float handling goes through {@link BigDecimal}, which has no
 * negative zero; these read each number's text with {@link Float#parseFloat} (correctly rounded to float32) and
 * write {@link Float#toString} (the shortest text that reads back to the same float), so every float, -0.0 included,
 * survives a round trip over HTTP.
 */
public final class VectorJson {
    private VectorJson() {
    }

    /** A JSON array of numbers to {@code float[]}; anything else in the array is a JSON error (400). */
    public static final class Reader implements JsonbDeserializer<float[]> {
        @Override
        public float[] deserialize(JsonParser parser, DeserializationContext ctx, Type type) {
            List<Float> values = new ArrayList<>();
            while (parser.hasNext()) {
                JsonParser.Event e = parser.next();
                if (e == JsonParser.Event.END_ARRAY) {
                    float[] out = new float[values.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = values.get(i);
                    }
                    return out;
                }
                if (e != JsonParser.Event.VALUE_NUMBER) {
                    throw new JsonbException("a vector is an array of numbers; found " + e + " at index " + values.size());
                }
                values.add(Float.parseFloat(parser.getString()));
            }
            throw new JsonbException("unterminated vector array");
        }
    }

    /** A list of vectors (null entries: misses) to a JSON array of arrays (or nulls). */
    public static final class ListWriter implements JsonbSerializer<List<float[]>> {
        @Override
        public void serialize(List<float[]> vectors, JsonGenerator g, SerializationContext ctx) {
            g.writeStartArray();
            for (float[] v : vectors) {
                if (v == null) {
                    g.writeNull();
                    continue;
                }
                g.writeStartArray();
                for (float f : v) {
                    if (f == 0 && Float.floatToRawIntBits(f) != 0) {
                        g.write(-0.0d); // BigDecimal would drop the sign
                    } else {
                        g.write(new BigDecimal(Float.toString(f)));
                    }
                }
                g.writeEnd();
            }
            g.writeEnd();
        }
    }
}
