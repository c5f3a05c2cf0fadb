package io.mcpcrew.crew.topology;

import io.mcpcrew.crew.testing.RedisServer;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Three nodes on a Redis master with one replica and three Sentinels, under the mixed load: {@code SENTINEL FAILOVER},
 * {@code kill -9} of the master, {@code kill -9} of a node, a rolling restart of the nodes.
 *
 * <p>Asserted in every run (what the library holds today): no 5xx but 503 with {@code Retry-After}; readiness always
 * answering within 5 s and, after each failover, back within 10 s; no event stored twice; after {@code kill -9} of the
 * master nothing acknowledged lost and no task completed twice; after a node's {@code kill -9} and during the rolling
 * restart nothing lost, no task completed twice, no 404 for existing data, the nodes in rotation ready throughout.
 *
 * <p>Not held yet, checked only with {@code -Dtopology.expect-fixed=true} (the methods named {@code expectFixed...});
 * measured in five runs of the suite (about 2,300 calls per scenario):
 * <ul>
 * <li>{@code SENTINEL FAILOVER} loses acknowledged writes: the nodes go on writing to the old master after its replica
 * was promoted, and the Sentinels then make the old master a replica, which drops them (27 to 40 of 560–700 tasks,
 * 20 to 30 of 460–580 events, 2 to 6 of 100–120 sessions);</li>
 * <li>so it also completes tasks twice: a task claimed on the old master after the promotion and acknowledged there is
 * still pending on the new master and runs again (1 to 6 tasks; 25 to 40 completions the nodes counted and Redis
 * forgot);</li>
 * <li>404 for existing data: reads of tasks and sessions written to the old master around the switch
 * ({@code SENTINEL FAILOVER}: 2 to 10), and session updates and reads answered from the node-local fallback store
 * while the master is down ({@code kill -9} of the master: 75 to 98).</li>
 * </ul>
 * The report of every run is {@code target/topology-report.md}.
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
        Expectations.failoverCommand(r);
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
        Expectations.sentinelMasterKilled(r);
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

    @Test
    @Order(10)
    @EnabledIfSystemProperty(named = "topology.expect-fixed", matches = "true")
    void expectFixedSentinelFailoverCommandLosesNoAcknowledgedWrite() {
        Expectations.noAcknowledgedWriteLost(result("sentinel-failover"));
    }

    @Test
    @Order(11)
    @EnabledIfSystemProperty(named = "topology.expect-fixed", matches = "true")
    void expectFixedSentinelFailoverCommandCompletesNoTaskTwice() {
        Expectations.noTaskCompletedTwice(result("sentinel-failover"));
    }

    @Test
    @Order(12)
    @EnabledIfSystemProperty(named = "topology.expect-fixed", matches = "true")
    void expectFixedSentinelFailoverCommandAnswersNo404ForExistingData() {
        Expectations.noNotFoundForExistingData(result("sentinel-failover"));
    }

    @Test
    @Order(13)
    @EnabledIfSystemProperty(named = "topology.expect-fixed", matches = "true")
    void expectFixedSentinelMasterKillAnswersNo404ForExistingData() {
        Expectations.noNotFoundForExistingData(result("sentinel-master-kill"));
    }
}
