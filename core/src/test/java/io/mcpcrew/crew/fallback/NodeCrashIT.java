package io.mcpcrew.crew.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.sessions.RedisSessionManager;
import io.mcpcrew.crew.sessions.Session;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A node that acknowledged writes during an outage is killed ({@code kill -9}); Redis returns; the node starts again
 * on the same journal directory: every acknowledged task, session and event is in Redis exactly once.
 */
@ExtendWith(RedisServerExtension.class)
class NodeCrashIT {
    private static final int COUNT = 20;

    @TempDir
    Path dir;

    @Test
    void writesAcknowledgedBeforeAKill9AreInRedisOnceAfterTheRestart(RedisServer server) throws Exception {
        server.ensureRunningAndEmpty();
        Path journal = dir.resolve("journal");
        Path out = dir.resolve("acknowledged.txt");
        server.stop();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process node = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OutageWriterMain.class.getName(), server.host(), String.valueOf(server.port()), journal.toString(),
                out.toString(), String.valueOf(COUNT)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile()).start();
        try {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(Files.exists(out) && Files.readString(out).contains("READY"))) {
                assertTrue(node.isAlive(), () -> "the node died: " + log(dir));
                assertTrue(System.nanoTime() < end, () -> "the node did not get ready: " + log(dir));
                Thread.sleep(50);
            }
        } finally {
            node.destroyForcibly(); // SIGKILL
            node.waitFor();
        }
        assertEquals(137, node.exitValue(), "killed by SIGKILL");
        List<String> acked = Files.readAllLines(out);
        Set<String> tasks = new HashSet<>();
        Set<String> sessionIds = new HashSet<>();
        for (String line : acked) {
            if (line.startsWith("task ")) {
                tasks.add(line.substring(5));
            } else if (line.startsWith("session ")) {
                sessionIds.add(line.substring(8));
            }
        }
        assertEquals(COUNT, tasks.size());
        assertEquals(COUNT, sessionIds.size());

        server.start(); // empty: what the node acknowledged exists only in its journal
        try (FallbackNode restarted = new FallbackNode(server, journal, Map.of(), null)) {
            JedisRedisManager redis = restarted.redis;
            RedisTaskQueues queues = restarted.tasks;
            RedisSessionManager sessions = restarted.sessions;
            assertTrue(restarted.drainedWithin(Duration.ofSeconds(10)),
                    "the restarted node wrote back what the killed one journaled; pending: " + restarted.pending());
            TaskQueue q = queues.forTenant("acme").queue("q");
            for (String id : tasks) {
                assertTrue(q.get(id).isPresent(), "task " + id);
            }
            assertEquals(COUNT, q.stats().pending(), "each task pending once");
            Set<String> stored = new HashSet<>();
            for (Session s : sessions.forTenant("acme").listSessions("u")) {
                stored.add(s.id());
            }
            assertEquals(sessionIds, stored);
            String key = redis.forTenant("acme").keys().tagged("events", "s");
            List<StreamEntry> entries = redis.execute(j -> j.xrange(key, (StreamEntryID) null, (StreamEntryID) null));
            List<String> marks = new ArrayList<>();
            for (StreamEntry e : entries) {
                marks.add(e.getFields().get("data").replaceAll(".*\"mark\":\"([0-9]+)\".*", "$1"));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                expected.add(Integer.toString(i));
            }
            assertEquals(expected, marks, "every event once, in order");
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("node.log"));
        } catch (Exception e) {
            return e.toString();
        }
    }
}
