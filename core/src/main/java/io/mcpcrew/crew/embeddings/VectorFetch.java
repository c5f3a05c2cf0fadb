package io.mcpcrew.crew.embeddings;

import io.mcpcrew.crew.tenancy.TenantRedis;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.GetExParams;

/**
 * The commands a read sends, one round trip per chunk: a single key is one GET (GETEX with sliding TTL); a batch is
 * one MGET on standalone and Sentinel, or one pipeline of GET on a Cluster (the keys spread over slots) and of GETEX
 * with sliding TTL, which also renews the dimension key's TTL when {@link ModelDimension#refreshDue} says so.
 */
final class VectorFetch {
    private final RedisEmbeddingCache owner;
    private final TenantRedis tenant;
    private final ModelDimension dimension;
    private final boolean slide;

    VectorFetch(RedisEmbeddingCache owner, TenantRedis tenant, ModelDimension dimension) {
        this.owner = owner;
        this.tenant = tenant;
        this.dimension = dimension;
        this.slide = owner.config().slidingTtl();
    }

    /** The values of the dimension key (first, if {@code withDimension}) and {@code keys[from..to)}, aligned (null: absent). */
    List<byte[]> fetch(byte[][] keys, int from, int to, boolean withDimension) {
        long ttl = owner.ttlSeconds();
        boolean refreshDimension = slide && !withDimension && dimension.refreshDue(ttl);
        int n = to - from + (withDimension ? 1 : 0);
        byte[][] k = new byte[n][];
        int at = 0;
        if (withDimension) {
            k[at++] = dimension.key();
        }
        for (int i = from; i < to; i++) {
            k[at++] = keys[i];
        }
        boolean cluster = owner.cluster();
        return tenant.execute(j -> {
            if (n == 1 && !refreshDimension) {
                // not coalesced: for values of kilobytes the hand-off between threads costs more than the round trip
                return Collections.singletonList(slide ? j.getEx(k[0], GetExParams.getExParams().ex(ttl)) : j.get(k[0]));
            }
            if (!slide && !refreshDimension && !cluster) {
                return j.mget(k);
            }
            List<Response<byte[]>> replies = new ArrayList<>(n);
            try (AbstractPipeline p = j.pipelined()) {
                if (refreshDimension) {
                    p.expire(dimension.key(), ttl);
                }
                for (byte[] key : k) {
                    replies.add(slide ? p.getEx(key, GetExParams.getExParams().ex(ttl)) : p.get(key));
                }
                p.sync();
            }
            List<byte[]> values = new ArrayList<>(n);
            for (Response<byte[]> r : replies) {
                values.add(r.get());
            }
            return values;
        });
    }
}
