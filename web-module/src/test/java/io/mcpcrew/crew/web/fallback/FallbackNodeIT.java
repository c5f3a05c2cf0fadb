package io.mcpcrew.crew.web.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.web.Http;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real WAR on a Payara Micro process this test starts and kills itself (Arquillian cannot {@code kill -9} its
 * container), on the harness' Redis, with the fallback journal in a directory of the test's:
 * <ul>
 * <li>writes accepted while Redis was down reach Redis within 2 s when the first request after its return — a
 * readiness check, on an HTTP thread — is what notices the recovery (the probe is slowed to 1 h);</li>
 * <li>writes acknowledged while Redis was down survive {@code kill -9} of the node: after Redis returns and the node
 * starts again on the same journal directory, each is in Redis exactly once.</li>
 * </ul>
 */
@ExtendWith(RedisServerExtension.class)
class FallbackNodeIT {
    private static final String PREFIX = "crewit";
    private static final int N = 5;

    @TempDir
    Path dir;
    private Process node;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (node != null) {
            node.destroyForcibly();
            node.waitFor();
        }
    }

    /** Starts Payara Micro with the WAR; returns the base URL once the application answers. */
    private String start(Path journal, String logName) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", System.getProperty("payara.microJar"),
                "--deploy", System.getProperty("crew.war"), "--port", String.valueOf(port), "--nocluster",
                "--disablephonehome", "--rootdir", dir.resolve("micro-" + logName).toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(logName + ".log").toFile());
        pb.environment().put("REDIS_CREW_FALLBACK_JOURNAL_DIR", journal.toString());
        pb.environment().put("REDIS_CREW_BREAKER_PROBE_INTERVAL", "1h"); // a request thread notices recovery
        pb.environment().put("REDIS_CREW_TASKS_WORKERS_ENABLED", "false"); // tasks stay pending: counted below
        node = pb.start();
        String base = "http://127.0.0.1:" + port;
        long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            assertTrue(node.isAlive(), () -> "Payara Micro exited: " + log(logName));
            assertTrue(System.nanoTime() < end, () -> "Payara Micro did not start in 180 s: " + log(logName));
            try {
                if (Http.get(base + "/crew/api/v1/status", "none").statusCode() != 404
                        && Http.get(base + "/health/ready", "none").statusCode() == 200) {
                    return base;
                }
            } catch (RuntimeException notYet) {
                // connection refused while it starts
            }
            Thread.sleep(200);
        }
    }

    private String log(String name) {
        try {
            String s = Files.readString(dir.resolve(name + ".log"));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return e.toString();
        }
    }

    record Written(List<String> tasks, List<String> sessions, int events) {
    }

    /** 5 tasks, 5 sessions, 5 events over HTTP while Redis is down: each accepted (201, 201, 202 buffered). */
    private static Written writeDuringOutage(String base) {
        String t = base + "/crew/api/v1/tenants/acme";
        List<String> tasks = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            HttpResponse<String> task = Http.send("POST", t + "/queues/q/tasks", "{\"name\":\"echo\",\"payload\":{\"i\":" + i + "}}");
            assertEquals(201, task.statusCode(), task.body());
            tasks.add(json(task).getString("id"));
            HttpResponse<String> session = Http.send("POST", t + "/sessions", "{\"userId\":\"u\",\"data\":{\"i\":" + i + "}}");
            assertEquals(201, session.statusCode(), session.body());
            sessions.add(json(session).getString("id"));
            HttpResponse<String> event = Http.send("POST", t + "/streams/s/events", "{\"type\":\"alert\",\"data\":{\"i\":" + i + "}}");
            assertEquals(202, event.statusCode(), event.body());
            assertTrue(json(event).getBoolean("buffered"), event.body());
        }
        return new Written(tasks, sessions, N);
    }

    private static JsonObject json(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    /** True when Redis holds exactly the written tasks (each pending once), sessions and events. */
    private static boolean inRedisExactlyOnce(RedisServer redis, Written w) {
        String pending = redis.command("LRANGE", PREFIX + ":acme:tasks:{acme.q}:pending:normal:echo", "0", "-1");
        for (String id : w.tasks()) {
            if (pending.split(id, -1).length != 2) {
                return false; // missing, or pending twice
            }
        }
        for (String id : w.sessions()) {
            if (!":1".equals(redis.command("EXISTS", PREFIX + ":acme:sessions:{acme.u}:session:" + id).trim())) {
                return false;
            }
        }
        String sessions = redis.command("ZCARD", PREFIX + ":acme:sessions:{acme.u}:index").trim();
        String events = redis.command("XLEN", PREFIX + ":acme:events:{acme.s}").trim();
        return (":" + w.sessions().size()).equals(sessions) && (":" + w.events()).equals(events)
                && w.tasks().size() == pending.split("\n").length;
    }

    private static boolean within(Duration bound, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    @Test
    void aReadinessCheckNoticingRecoveryGetsBufferedWritesIntoRedisWithin2s(RedisServer redis) throws Exception {
        redis.ensureRunningAndEmpty();
        String base = start(dir.resolve("journal"), "node");
        redis.stop();
        Written w = writeDuringOutage(base);
        redis.start();
        HttpResponse<String> ready = Http.get(base + "/health/ready", "none");
        assertEquals(200, ready.statusCode(), ready.body());
        // no request after the readiness check: the node must write back on its own
        assertTrue(within(Duration.ofSeconds(2), () -> inRedisExactlyOnce(redis, w)),
                () -> "not all buffered writes in Redis 2 s after recovery: " + log("node"));
    }

    @Test
    void writesAcknowledgedDuringAnOutageSurviveKill9OfTheNode(RedisServer redis) throws Exception {
        redis.ensureRunningAndEmpty();
        Path journal = dir.resolve("journal");
        String base = start(journal, "first");
        redis.stop();
        Written w = writeDuringOutage(base);
        node.destroyForcibly(); // SIGKILL: nothing runs at exit
        node.waitFor();
        redis.start(); // empty: the writes exist only in the killed node's journal
        start(journal, "second");
        assertTrue(within(Duration.ofSeconds(5), () -> inRedisExactlyOnce(redis, w)),
                () -> "the restarted node did not write back what the killed one acknowledged: " + log("second"));
        Thread.sleep(1000); // and nothing is written a second time afterwards
        assertTrue(inRedisExactlyOnce(redis, w), "each write once");
    }
}
