package io.mcpcrew.crew.web.embeddings;

import jakarta.json.bind.annotation.JsonbTypeSerializer;
import java.util.List;

/**
 * {@code {"vectors":[[...], null, ...]}}: one entry per requested text, in order; null for a miss.
 *
 * @param vectors the vectors, written exactly by {@link VectorJson.ListWriter}
 */
public record LookupResponse(@JsonbTypeSerializer(VectorJson.ListWriter.class) List<float[]> vectors) {
}
