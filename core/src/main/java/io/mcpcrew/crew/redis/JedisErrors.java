package io.mcpcrew.crew.redis;

import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisValidationException;

/** What a Jedis exception says about the command: bad data, or an outage — and then, whether Redis may have it. */
final class JedisErrors {
    private JedisErrors() {
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
