package io.mcpcrew.crew.web.embeddings;

import io.mcpcrew.crew.embeddings.EmbeddingCache;
import io.mcpcrew.crew.embeddings.EmbeddingStats;
import io.mcpcrew.crew.embeddings.EntryCount;
import io.mcpcrew.crew.embeddings.ModelEmbeddingCache;
import io.mcpcrew.crew.embeddings.TenantEmbeddings;
import io.mcpcrew.crew.redis.KeyspaceScan;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.web.json.PageJson;
import io.mcpcrew.crew.web.json.Params;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/tenants/{tenant}/embeddings/{model}}: the embedding cache over HTTP. Bad tenant ids, model names,
 * texts and vectors, and batches above {@code redis.crew.embeddings.max-batch-size}, are 400 with a message; while
 * Redis is down the cache's local fallback answers (with the fallback disabled: 503).
 */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/embeddings")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "embeddings", description = "Cached embedding vectors per tenant and model")
public class EmbeddingsResource {
    static final int DEFAULT_LIMIT = 100;
    static final int DEFAULT_SCAN_COUNT = 1000;
    static final int DEFAULT_SCAN_CALLS = 1000;

    @Inject
    EmbeddingCache embeddings;

    /** Stores every item (a text given twice: the last vector wins); 204. */
    @PUT
    @Path("{model: .+}")
    @Operation(summary = "Store vectors", description = "204; 400 for a bad text, vector, dimension or batch size")
    public Response store(@PathParam("tenant") String tenant, @PathParam("model") String model,
            @RequestBody(required = true, description = StoreRequest.SHAPE, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON)) String raw) {
        ModelEmbeddingCache cache = embeddings.forTenant(tenant).model(model);
        StoreRequest body = StoreRequest.parse(raw);
        requireBatchSize("items", body.items().size());
        Map<String, float[]> vectors = new LinkedHashMap<>();
        for (StoreRequest.Item item : body.items()) {
            vectors.put(item.text(), item.vector());
        }
        cache.batchStore(vectors);
        return Response.noContent().build();
    }

    /** The vectors of the texts, aligned with them: null for a miss. */
    @POST
    @Path("{model: .+}/lookup")
    @Operation(summary = "Look vectors up", description = "One entry per text, in order; null for a miss")
    public LookupResponse lookup(@PathParam("tenant") String tenant, @PathParam("model") String model,
            @RequestBody(required = true, description = LookupRequest.SHAPE, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON)) String raw) {
        ModelEmbeddingCache cache = embeddings.forTenant(tenant).model(model);
        LookupRequest body = LookupRequest.parse(raw);
        requireBatchSize("texts", body.texts().size());
        List<Optional<float[]>> found = cache.batchRetrieve(body.texts());
        List<float[]> vectors = new ArrayList<>(found.size());
        found.forEach(v -> vectors.add(v.orElse(null)));
        return new LookupResponse(vectors);
    }

    /** Removes every vector of the tenant's model (and its dimension): {@code {"removed":n}}. */
    @DELETE
    @Path("{model: .+}")
    @Operation(summary = "Clear the model", description = "Removes every vector and the established dimension")
    public Map<String, Object> clear(@PathParam("tenant") String tenant, @PathParam("model") String model) {
        ModelEmbeddingCache cache = embeddings.forTenant(tenant).model(model);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", cache.tenant());
        m.put("model", cache.model());
        m.put("removed", cache.clear());
        return m;
    }

    /** The tenant's models, a page at a time ({@code ?cursor=&limit=}, names in byte order), with their dimensions. */
    @GET
    @Operation(summary = "The tenant's models", description = "{\"tenant\",\"models\":[{\"model\",\"dimension\"}],"
            + "\"nextCursor\"}; limit 1-1000, default 100; dimension null when the model holds no vector")
    public JsonObject models(@PathParam("tenant") String tenant, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        int n = Params.integer("limit", limit, 1, TenantEmbeddings.MAX_MODELS_PAGE, DEFAULT_LIMIT);
        TenantEmbeddings t = embeddings.forTenant(tenant);
        return PageJson.builder(Json.createObjectBuilder().add("tenant", tenant), "models",
                t.models(Params.cursor(cursor), n), m -> Json.createObjectBuilder().add("model", m.model())
                        .add("dimension", m.dimension() == null ? JsonValue.NULL : Json.createValue(m.dimension()))
                        .build()).build();
    }

    /**
     * How many vectors the model holds in Redis: a SCAN of every master ({@code ?maxScanCalls=} 1-100000, default
     * 1000; {@code ?scanCount=} 10-10000, default 1000), exact when it covers the keyspace, else extrapolated.
     */
    @GET
    @Path("{model: .+}/entries")
    @Operation(summary = "The model's vectors in Redis, counted by a bounded SCAN of every master")
    public Map<String, Object> entries(@PathParam("tenant") String tenant, @PathParam("model") String model,
            @QueryParam("maxScanCalls") String maxScanCalls, @QueryParam("scanCount") String scanCount) {
        ModelEmbeddingCache cache = embeddings.forTenant(tenant).model(model);
        KeyspaceScan.Budget budget = new KeyspaceScan.Budget(
                Params.integer("scanCount", scanCount, 10, KeyspaceScan.MAX_COUNT, DEFAULT_SCAN_COUNT),
                Params.integer("maxScanCalls", maxScanCalls, 1, KeyspaceScan.MAX_CALLS, DEFAULT_SCAN_CALLS));
        EntryCount c = cache.countEntries(budget);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", c.tenant());
        m.put("model", c.model());
        m.put("entries", c.entries());
        m.put("counted", c.counted());
        m.put("complete", c.complete());
        m.put("coverage", c.coverage());
        m.put("keysScanned", c.keysScanned());
        m.put("scanCalls", c.scanCalls());
        m.put("roundTrips", c.roundTrips());
        m.put("millis", c.millis());
        return m;
    }

    /** This node's counters for the tenant's model, and the model's dimension (null until a vector is stored). */
    @GET
    @Path("{model: .+}/stats")
    @Operation(summary = "This node's statistics for the model")
    public Map<String, Object> stats(@PathParam("tenant") String tenant, @PathParam("model") String model) {
        ModelEmbeddingCache cache = embeddings.forTenant(tenant).model(model);
        EmbeddingStats s = cache.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", cache.tenant());
        m.put("model", cache.model());
        m.put("scope", "node");
        m.put("dimension", s.dimension().isPresent() ? s.dimension().getAsInt() : null);
        m.put("hits", s.hits());
        m.put("misses", s.misses());
        m.put("hitRatio", s.hitRatio());
        m.put("localHits", s.localHits());
        m.put("stores", s.stores());
        m.put("localStores", s.localStores());
        m.put("computed", s.computed());
        m.put("rejected", s.rejected());
        m.put("bytesRead", s.bytesRead());
        m.put("bytesWritten", s.bytesWritten());
        return m;
    }

    private void requireBatchSize(String what, int size) {
        int max = embeddings.config().maxBatchSize();
        if (size > max) {
            throw new InvalidInputException("too many " + what + ": " + size + ", at most " + max
                    + " per request (redis.crew.embeddings.max-batch-size)");
        }
    }
}
