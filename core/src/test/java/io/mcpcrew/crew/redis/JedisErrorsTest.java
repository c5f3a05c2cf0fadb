package io.mcpcrew.crew.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisDataException;

/** Which error replies mean "not serving now, nothing applied" (an outage) and which mean bad data. */
class JedisErrorsTest {
    @Test
    void repliesOfAServerThatCannotServeNowAreAnOutage() {
        for (String reply : new String[] {"LOADING Redis is loading the dataset in memory",
                "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
                "READONLY You can't write against a read only replica.", "CLUSTERDOWN The cluster is down",
                "TRYAGAIN Multiple keys request during rehashing of slot",
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
                "NOREPLICAS Not enough good replicas to write.",
                "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk."}) {
            assertTrue(JedisErrors.isNotServing(new JedisDataException(reply)), reply);
        }
    }

    @Test
    void repliesAboutTheCommandAreBadData() {
        for (String reply : new String[] {"WRONGTYPE Operation against a key holding the wrong kind of value",
                "ERR value is not an integer or out of range", "ERR Error running script: LOADING in a message",
                "NOSCRIPT No matching script.", "BUSYKEY Target key name already exists.", ""}) {
            assertFalse(JedisErrors.isNotServing(new JedisDataException(reply)), reply);
        }
        assertFalse(JedisErrors.isNotServing(new JedisDataException((String) null)));
    }
}
