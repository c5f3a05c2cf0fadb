package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.RedisServer;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Three nodes on a Redis master with one replica and three Sentinels, under the mixed load: {@code SENTINEL FAILOVER},
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
