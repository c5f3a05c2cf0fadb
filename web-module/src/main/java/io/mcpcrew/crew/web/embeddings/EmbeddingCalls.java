package io.mcpcrew.crew.web.embeddings;

import io.mcpcrew.crew.embeddings.EmbeddingCache;
import io.mcpcrew.crew.embeddings.ModelEmbeddingCache;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedding operations of the API, one place for what the HTTP resource ({@link EmbeddingsResource}) and the
 * MCP tools ({@code io.mcpcrew.crew.web.mcp}) do: the same body rules, batch limit, component calls and errors.
 */
public final class EmbeddingCalls {
    private EmbeddingCalls() {
    }

    /** Stores every item of a {@code PUT} body {@code {"items":[{"text","vector"}, ...]}} (a text twice: the last wins). */
    public static void store(EmbeddingCache embeddings, String tenant, String model, String body) {
        ModelEmbeddingCache cache = embeddings.forTenant(tenant).model(model);
        StoreRequest request = StoreRequest.parse(body);
        requireBatchSize(embeddings, "items", request.items().size());
        Map<String, float[]> vectors = new LinkedHashMap<>();
        for (StoreRequest.Item item : request.items()) {
            vectors.put(item.text(), item.vector());
        }
        cache.batchStore(vectors);
    }

    /** The vectors of a lookup body {@code {"texts":[...]}}, aligned with the texts: null for a miss. */
    public static List<float[]> lookup(EmbeddingCache embeddings, String tenant, String model, String body) {
        ModelEmbeddingCache cache = embeddings.forTenant(tenant).model(model);
        LookupRequest request = LookupRequest.parse(body);
        requireBatchSize(embeddings, "texts", request.texts().size());
        List<Optional<float[]>> found = cache.batchRetrieve(request.texts());
        List<float[]> vectors = new ArrayList<>(found.size());
        found.forEach(v -> vectors.add(v.orElse(null)));
        return vectors;
    }

    private static void requireBatchSize(EmbeddingCache embeddings, String what, int size) {
        int max = embeddings.config().maxBatchSize();
        if (size > max) {
            throw new InvalidInputException("too many " + what + ": " + size + ", at most " + max
                    + " per request (redis.crew.embeddings.max-batch-size)");
        }
    }
}
