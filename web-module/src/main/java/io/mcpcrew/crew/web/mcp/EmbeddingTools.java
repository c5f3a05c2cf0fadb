package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.embeddings.EmbeddingCache;
import io.mcpcrew.crew.web.embeddings.EmbeddingCalls;
import io.mcpcrew.crew.web.embeddings.EmbeddingsResource;
import io.mcpcrew.crew.web.mcp.ToolDef.RestMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedding cache as tools: {@code store_embeddings} and {@code lookup_embeddings}, the MCP forms of
 * {@link EmbeddingsResource}'s store and lookup, through {@link EmbeddingCalls}. Vectors are float32 both ways.
 */
final class EmbeddingTools {
    private static final String MODEL = """
            "model": {"type": "string", "description": "The embedding model's name, e.g. \\"text-embedding-3-small\\"."}""";

    private EmbeddingTools() {
    }

    static List<ToolDef> all(EmbeddingCache embeddings) {
        return List.of(
                new ToolDef("store_embeddings", "Store embedding vectors",
                        "Stores a vector per text for a model of the tenant (a text given twice: the last vector wins;"
                                + " every vector of a model has the model's dimension). At most"
                                + " redis.crew.embeddings.max-batch-size items. As PUT"
                                + " /api/v1/tenants/{tenant}/embeddings/{model}; counted in api-writes.",
                        """
                        {"type": "object", "properties": {
                        """ + TaskTools.TENANT + ",\n" + MODEL + """
                        ,
                          "items": {"type": "array", "items": {"type": "object", "properties": {
                            "text": {"type": "string"}, "vector": {"type": "array", "items": {"type": "number"}}},
                            "required": ["text", "vector"]}}},
                         "required": ["model", "items"]}""",
                        """
                        {"type": "object", "properties": {"stored": {"type": "integer"}}, "required": ["stored"]}""",
                        ToolDef.hints("Store embedding vectors", false, true, true),
                        new RestMethod(EmbeddingsResource.class, "store"),
                        c -> {
                            String model = c.required("model", "the embedding model's name");
                            EmbeddingCalls.store(embeddings, c.tenant(), model, c.argsJson());
                            return Map.of("stored", c.args().array("items").size());
                        }),
                new ToolDef("lookup_embeddings", "Look embedding vectors up",
                        "The cached vectors of texts for a model of the tenant, one entry per text in order: null for a"
                                + " text not cached. At most redis.crew.embeddings.max-batch-size texts. As POST"
                                + " .../embeddings/{model}/lookup (a POST: counted in api-writes); it changes nothing.",
                        """
                        {"type": "object", "properties": {
                        """ + TaskTools.TENANT + ",\n" + MODEL + """
                        ,
                          "texts": {"type": "array", "items": {"type": "string"}}},
                         "required": ["model", "texts"]}""",
                        """
                        {"type": "object", "properties": {
                          "vectors": {"type": "array", "items": {"type": ["array", "null"], "items": {"type": "number"}}},
                          "hits": {"type": "integer"}}, "required": ["vectors", "hits"]}""",
                        ToolDef.hints("Look embedding vectors up", true, false, true),
                        new RestMethod(EmbeddingsResource.class, "lookup"),
                        c -> {
                            String model = c.required("model", "the embedding model's name");
                            List<float[]> vectors = EmbeddingCalls.lookup(embeddings, c.tenant(), model, c.argsJson());
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("vectors", vectors);
                            m.put("hits", vectors.stream().filter(v -> v != null).count());
                            return m;
                        }));
    }
}
