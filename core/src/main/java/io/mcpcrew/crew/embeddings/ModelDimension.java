package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import redis.clients.jedis.params.SetParams;

/**
 * The dimension rule of one tenant's model: every vector of a model has the dimension held by its dimension key
 * ({@code <prefix>:<tenant>:embeddings:<model-part>:dim}, ASCII decimal, with the EMBEDDING TTL).
 *
 * <p>The first store of a model on a node runs {@code SET <dim-key> <n> NX GET EX <ttl>} (the one extra round trip in
 * the model's life on the node): it establishes the dimension or returns the established one. Later stores carry the
 * same command in their pipeline, so a dimension key removed meanwhile (a clear on another node) is re-established,
 * and a conflicting one is detected ({@link #checkWritten}: the batch is then removed again and refused). Reads check
 * each value's length against the dimension, fetched in the same MGET or pipeline while unknown and read again when a
 * value's length differs ({@link #reread}).
 */
final class ModelDimension {
    private static final Logger LOG = Logger.getLogger(ModelDimension.class.getName());
    /** How often, at most, a sliding-TTL read also renews the dimension key's TTL. */
    private static final long REFRESH_MAX_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final RedisEmbeddingCache owner;
    private final TenantRedis tenant;
    private final String model;
    private final ModelState state;
    private final String key;
    private final byte[] keyBytes;

    ModelDimension(RedisEmbeddingCache owner, TenantRedis tenant, String model, String modelPart, ModelState state) {
        this.owner = owner;
        this.tenant = tenant;
        this.model = model;
        this.state = state;
        this.key = EmbeddingKeys.dimensionKey(tenant.keys(), modelPart);
        this.keyBytes = key.getBytes(StandardCharsets.UTF_8);
    }

    /** The dimension key. */
    byte[] key() {
        return keyBytes;
    }

    /** The dimension this node knows, 0 if none. */
    int known() {
        return state.dimension();
    }

    /** Remembers {@code dimension} as the model's (0: unknown). */
    void learn(int dimension) {
        state.dimension(dimension);
    }

    void forget() {
        state.forgetDimension();
    }

    /** Reads the dimension key (one GET), learns its value and returns it (0: absent or not valid). */
    int reread() {
        int d = parse(tenant.execute(j -> j.get(keyBytes)));
        state.dimension(d);
        return d;
    }

    /** The dimension in Redis (one GET), 0 if absent or not valid; learnt only when valid. */
    int fetch() {
        int d = parse(tenant.execute(j -> j.get(keyBytes)));
        if (d > 0) {
            state.dimension(d);
        }
        return d;
    }

    /** True, once per interval across threads, when a sliding-TTL read should renew the dimension key's TTL too. */
    boolean refreshDue(long ttlSeconds) {
        return state.dimensionRefreshDue(System.nanoTime(),
                Math.min(REFRESH_MAX_NANOS, TimeUnit.SECONDS.toNanos(ttlSeconds) / 10));
    }

    /**
     * {@code SET <dim-key> <dim> NX GET EX <ttl>}: establishes the dimension or learns the established one; first puts
     * the model in the tenant's registry of models (once per process).
     */
    void establish(int dimension) {
        owner.catalog().register(tenant, model); // the tenant's models, for the listing
        long ttl = owner.ttlSeconds();
        byte[] previous = tenant.execute(j -> j.setGet(keyBytes, ascii(dimension), SetParams.setParams().nx().ex(ttl)));
        int established = previous == null ? dimension : parse(previous);
        if (established == 0) {
            LOG.warning(() -> "embedding cache: " + key + " held no valid dimension; setting it to " + dimension);
            tenant.execute(j -> j.set(keyBytes, ascii(dimension), SetParams.setParams().ex(ttl)));
            established = dimension;
        }
        state.dimension(established);
        if (established != dimension) {
            throw mismatch(dimension, established);
        }
    }

    /**
     * After a pipeline that wrote vectors of {@code dimension} and ran {@code SET <dim-key> NX GET}: if the key held
     * another valid dimension ({@code previous}), another node re-established the model since this node learnt it;
     * learns that dimension, runs {@code undo} (removes the batch) and refuses.
     */
    void checkWritten(byte[] previous, int dimension, Runnable undo) {
        int established = previous == null ? dimension : parse(previous);
        if (established != dimension && established != 0) {
            state.dimension(established);
            undo.run();
            throw mismatch(dimension, established);
        }
    }

    /** {@code n} in ASCII decimal, the form a dimension key holds. */
    static byte[] ascii(int n) {
        return Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** The refusal of a vector of {@code dimension} for a model of dimension {@code established}. */
    InvalidInputException mismatch(int dimension, int established) {
        return new InvalidInputException("vector dimension " + dimension + " does not match the established dimension "
                + established + " of model " + Names.quote(model) + " (tenant " + tenant.keys().tenant()
                + "): every vector of a model has the same dimension; clear the model's cache to change it");
    }

    /** The dimension in a dimension key's value (ASCII decimal), or 0 if absent or not a valid dimension. */
    static int parse(byte[] value) {
        if (value == null || value.length == 0 || value.length > 9) {
            return 0;
        }
        int d = 0;
        for (byte b : value) {
            if (b < '0' || b > '9') {
                return 0;
            }
            d = d * 10 + (b - '0');
        }
        return d;
    }
}
