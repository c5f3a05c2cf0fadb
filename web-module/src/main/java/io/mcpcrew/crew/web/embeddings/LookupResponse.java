package io.mcpcrew.crew.web.embeddings;

import jakarta.json.bind.annotation.JsonbTypeSerializer;
import java.util.List;

/** {@code {"vectors":[[...], null, ...]}}: one entry per requested text, in order; null for a miss. */
public class LookupResponse {
    private List<float[]> vectors;

    public LookupResponse() {
    }

    public LookupResponse(List<float[]> vectors) {
        this.vectors = vectors;
    }

    @JsonbTypeSerializer(VectorJson.ListWriter.class)
    public List<float[]> getVectors() {
        return vectors;
    }

    public void setVectors(List<float[]> vectors) {
        this.vectors = vectors;
    }
}
