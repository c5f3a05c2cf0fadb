package io.mcpcrew.crew.redis;

import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * Jedis's Cluster connection provider with the masters' breakers in front: a connection for a slot is handed out
 * only while {@link ShardBreakers#admit} lets it (else {@link ShardUnavailableException}, before any I/O), and the
 * calling thread's last route (master and slot) is kept, so the manager charges a call's outcome to the master it
 * went to. Keyed commands, scripts and the manager's own per-slot pipelines all take their connection here.
 */
final class ShardAwareConnectionProvider extends ClusterConnectionProvider {
    /** The master (and slot) the calling thread's last connection went to; reset by {@link #clearRoute()}. */
    static final class Route {
        private HostAndPort node;
        private int slot = -1;

        HostAndPort node() {
            return node;
        }

        int slot() {
            return slot;
        }
    }

    private static final ThreadLocal<Route> ROUTE = ThreadLocal.withInitial(Route::new);
    private final ShardBreakers breakers;

    ShardAwareConnectionProvider(Set<HostAndPort> nodes, JedisClientConfig clientConfig,
            GenericObjectPoolConfig<Connection> pool, ShardBreakers breakers) {
        super(nodes, clientConfig, pool);
        this.breakers = breakers;
    }

    @Override
    public Connection getConnectionFromSlot(int slot) {
        HostAndPort node = getNode(slot);
        if (node != null) {
            Route r = ROUTE.get();
            r.node = node;
            r.slot = slot;
            breakers.admit(node, slot);
        }
        return super.getConnectionFromSlot(slot);
    }

    /** A redirection (MOVED, ASK) to {@code node}: the call's outcome is that node's. */
    @Override
    public Connection getConnection(HostAndPort node) {
        ROUTE.get().node = node;
        return super.getConnection(node);
    }

    /** The calling thread's route since its last {@link #clearRoute()}. */
    static Route route() {
        return ROUTE.get();
    }

    /**
     * Sets the calling thread's route to {@code node} (a call that borrows from a node's pool itself, e.g. INFO or a
     * SCAN of every master), so its outcome is charged to that master's breaker rather than the manager's.
     */
    static void routeTo(HostAndPort node) {
        Route r = ROUTE.get();
        r.node = node;
        r.slot = -1;
    }

    /** Forgets the calling thread's route (before a call). */
    static Route clearRoute() {
        Route r = ROUTE.get();
        r.node = null;
        r.slot = -1;
        return r;
    }
}
