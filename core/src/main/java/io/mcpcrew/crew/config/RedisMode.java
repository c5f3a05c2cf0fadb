package io.mcpcrew.crew.config;

/** Topology of the Redis deployment ({@code redis.crew.mode}). */
public enum RedisMode {
    /** One server at {@code redis.crew.host}:{@code redis.crew.port}. */
    STANDALONE,
    /** A master found through Sentinels listed in {@code redis.crew.nodes}, named {@code redis.crew.sentinel.master}. */
    SENTINEL,
    /** A Redis Cluster reached through the seed nodes in {@code redis.crew.nodes}. */
    CLUSTER
}
