package io.mcpcrew.crew.web.embeddings;

import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import java.math.BigDecimal;
import java.util.List;

/**
 * Exact JSON for float32 vectors in answers. JSON-B's default float handling goes through {@link BigDecimal}, which
 * has no negative zero; this writes {@link Float#toString} (the shortest text that reads back to the same float), so
 * every float, -0.0 included, survives a round trip over HTTP (requests are read exactly by {@link StoreRequest}).
 */
public final class VectorJson {
    private VectorJson() {
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
