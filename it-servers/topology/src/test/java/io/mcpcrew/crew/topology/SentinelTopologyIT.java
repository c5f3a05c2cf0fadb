package io.mcpcrew.crew.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Three nodes on a Redis master with one replica and three Sentinels, all TLS only with client certificates and an
 * ACL user per role ({@link SentinelSecurity}), under the mixed load: {@code SENTINEL FAILOVER},
 * {@code kill -9} of the master, {@code kill -9} of a node, a rolling restart of the nodes. Run as the deploy guide
 * recommends for writes that must survive a failover: the durability opt-in on the nodes and
 * {@code min-replicas-to-write 1} on the servers ({@link SentinelGroup#durability()}; {@code -Dtopology.durability=false}
 * runs without both and reports what {@code SENTINEL FAILOVER} loses then). Asserted: {@link Expectations}. The report
 * of every run is {@code target/topology-report.md}.
 */
class SentinelTopologyIT extends TopologySuite<SentinelGroup> {

    @Override
    SentinelGroup startRedis(Path dir) {
        return SentinelGroup.start(dir);
    }

    /**
     * The servers and Sentinels take TLS with the client certificate and the login of their own users only, and the
     * nodes are connected to them that way: plain text and TLS without the client certificate are refused on both,
     * the {@code default} user is off, the data user does not open a Sentinel nor the Sentinel user a server.
     */
    @Test
    @Order(0)
    void onlyTlsWithTheClientCertificateAndTheRoleOwnLoginIsAccepted() {
        SentinelSecurity sec = redis.security();
        HostAndPort master = new HostAndPort("127.0.0.1", redis.master().port());
        HostAndPort sentinel = new HostAndPort("127.0.0.1", redis.sentinelPorts().get(0));
        for (HostAndPort at : new HostAndPort[] {master, sentinel}) {
            refused(at, "plain text", DefaultJedisClientConfig.builder().connectionTimeoutMillis(5000)
                    .socketTimeoutMillis(5000).autoNegotiateProtocol(false).user(SentinelSecurity.DATA_USER)
                    .password(sec.dataPassword()).build(), JedisConnectionException.class, "");
            refused(at, "TLS without the client certificate", sec.client(false, SentinelSecurity.DATA_USER,
                    sec.dataPassword()), JedisConnectionException.class, "");
            refused(at, "no login", sec.client(true, null, null), JedisDataException.class, "NOAUTH");
        }
        refused(sentinel, "the data user", sec.client(true, SentinelSecurity.DATA_USER, sec.dataPassword()),
                JedisDataException.class, "WRONGPASS");
        refused(master, "the Sentinel user", sec.client(true, SentinelSecurity.SENTINEL_USER, sec.sentinelPassword()),
                JedisDataException.class, "WRONGPASS");
        try (Jedis j = new Jedis(master, sec.dataClient())) {
            assertEquals("PONG", j.ping());
            String clients = j.clientList();
            long nodes = Arrays.stream(clients.split("\n"))
                    .filter(c -> c.contains(" name=crew-redis ") && c.contains(" user=crew ")).count();
            assertTrue(nodes >= NODES, "the nodes log in to the master as the data user: " + clients);
        }
        try (Jedis j = redis.sentinel(sentinel.getPort())) {
            assertEquals("PONG", j.ping());
            String clients = j.clientList();
            long listeners = Arrays.stream(clients.split("\n"))
                    .filter(c -> c.contains(" cmd=subscribe ") && c.contains(" user=crew-sentinel ")).count();
            assertTrue(listeners >= NODES, "the nodes listen to the Sentinel as the Sentinel user: " + clients);
        }
    }

    /** A PING to {@code at} with {@code config} ({@code how}) fails with {@code type}, {@code reason} in its message. */
    private static void refused(HostAndPort at, String how, JedisClientConfig config, Class<? extends JedisException> type,
            String reason) {
        JedisException e = assertThrows(type, () -> {
            try (Jedis j = new Jedis(at, config)) {
                j.ping();
            }
        }, "a PING to " + at + " with " + how);
        assertTrue(String.valueOf(e.getMessage()).contains(reason), at + " with " + how + ": " + e);
    }

    @Test
    @Order(1)
    void sentinelFailoverCommand() throws Exception {
        ScenarioResult r = scenario("sentinel-failover", false, () -> {
            RedisServer old = redis.master();
            long t0 = System.nanoTime();
            redis.failoverCommand();
            RedisServer now = redis.awaitNewMaster(old, 30_000);
            return String.format(Locale.ROOT, "`SENTINEL FAILOVER`: master :%d → :%d, every Sentinel names the new "
                    + "master after %.1f s (the old master is made a replica by the Sentinels later)", old.port(),
                    now.port(), seconds(t0));
        });
        Expectations.failoverCommand(r, SentinelGroup.durability());
    }

    @Test
    @Order(2)
    void sentinelMasterKill9() throws Exception {
        ScenarioResult r = scenario("sentinel-master-kill", false, () -> {
            RedisServer old = redis.master();
            long t0 = System.nanoTime();
            old.stop(); // SIGKILL
            RedisServer now = redis.awaitNewMaster(old, 30_000);
            double promoted = seconds(t0);
            old.start(); // empty (no persistence): the Sentinels make it a replica of the new master
            return String.format(Locale.ROOT, "`kill -9` of master :%d; every Sentinel names :%d after %.1f s; the "
                    + "killed server started again at once (empty, made a replica by the Sentinels)", old.port(),
                    now.port(), promoted);
        });
        Expectations.masterKilled(r);
    }

    @Test
    @Order(3)
    void nodeKill9() throws Exception {
        Expectations.nodeFault(scenario("sentinel-node-kill", true, this::killNode));
    }

    @Test
    @Order(4)
    void rollingRestartOfTheNodes() throws Exception {
        Expectations.nodeFault(scenario("sentinel-rolling-restart", true, this::rollingRestart));
    }
}
