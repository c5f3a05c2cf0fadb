package io.mcpcrew.crew.redis;

import java.util.Set;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisValidationException;

/** What a Jedis exception says about the command: bad data, or an outage — and then, whether Redis may have it. */
final class JedisErrors {
    /**
     * Error replies of a server that answers but does not serve now, none of which applies the command: loading its
     * data set (LOADING), a replica that lost its master (MASTERDOWN) or is read-only after a fail-over (READONLY),
     * a Cluster that is down or resharding (CLUSTERDOWN, TRYAGAIN), a script still running (BUSY), too few replicas
     * (NOREPLICAS), writes refused after a failed save (MISCONF).
     */
    private static final Set<String> NOT_SERVING = Set.of("LOADING", "MASTERDOWN", "READONLY", "CLUSTERDOWN",
            "TRYAGAIN", "BUSY", "NOREPLICAS", "MISCONF");

    private JedisErrors() {
    }

    /**
     * True for an error reply that says the server cannot serve the command now (see {@link #NOT_SERVING}): an
     * outage that certainly did not apply it, to be retried — not bad data.
     */
    static boolean isNotServing(JedisDataException e) {
        return isNotServing(e.getMessage());
    }

    /** {@link #isNotServing(JedisDataException)} of an error text (e.g. one a script caught with {@code pcall}). */
    static boolean isNotServing(String m) {
        if (m == null) {
            return false;
        }
        int space = m.indexOf(' ');
        return NOT_SERVING.contains(space < 0 ? m : m.substring(0, space));
    }

    /**
     * Errors Jedis raises before sending anything, about the command itself (keys of several Cluster slots in one
     * command, client-side validation): bad data, not an outage — they must not open the breaker.
     */
    static boolean isClientSideDataError(JedisException e) {
        if (e instanceof JedisValidationException) {
            return true;
        }
        return e instanceof JedisClusterOperationException && e.getMessage() != null
                && e.getMessage().contains("multiple hash slots");
    }

    /**
     * False when the error proves the command never left this process (no connection could be made, no pooled
     * connection was free); true otherwise (a timeout or a connection lost while waiting: Redis may have applied it).
     */
    static boolean mayHaveBeenSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.util.NoSuchElementException) {
                return false;
            }
            if (t.getMessage() != null && t.getMessage().startsWith("Could not get a resource")) {
                return false;
            }
        }
        return true;
    }
}
