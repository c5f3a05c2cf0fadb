package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.RedisServer;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/** The Redis a scenario runs on, started by the suite: how nodes reach it, and a client of the suite's own. */
interface RedisTopology extends AutoCloseable {

    /** {@code sentinel} or {@code cluster}. */
    String name();

    /** The environment that points a node at it ({@code REDIS_CREW_MODE}, {@code REDIS_CREW_NODES}, ...). */
    Map<String, String> nodeEnv();

    /** A new client of the suite (the caller closes it) that finds the current master(s) itself. */
    UnifiedJedis client();

    /** The servers that are masters now (for {@code INFO}). */
    List<RedisServer> masters();

    /** Waits until every server runs and is a master or a replica with its link up, and clients see one layout. */
    void awaitHealthy();

    /**
     * On a sharded topology whose master a scenario killed: whether a hash tag ({@code "{tenant.name}"}) is in that
     * master's slots. Null where no shard failed.
     */
    default java.util.function.Predicate<String> failedShard() {
        return null;
    }

    /** One line: which ports are masters, which replicas. */
    String describe();

    @Override
    void close();
}
