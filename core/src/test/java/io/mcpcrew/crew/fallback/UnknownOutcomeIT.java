package io.mcpcrew.crew.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.sessions.RedisSessionManager;
import io.mcpcrew.crew.sessions.Session;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskWorker;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Redis frozen (SIGSTOP) for longer than the socket timeout under concurrent writers: writes sent just before the
 * freeze time out, are kept by the fallback, and are applied by Redis when it resumes. Their replay must not write
 * them again: no task runs twice, no event or session is stored twice, and every acknowledged write is there.
 */
@ExtendWith(RedisServerExtension.class)
class UnknownOutcomeIT {
    private static final int WRITERS = 3;

    private RedisServer server;
    private FallbackNode node;
    @TempDir
    Path journal;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.ensureRunningAndEmpty();
    }

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void writesWhoseOutcomeWasUnknownAreStoredOnceAfterAFreeze() throws Exception {
        node = new FallbackNode(server, journal, Map.of("redis.crew.timeout", "400ms"), null);
        JedisRedisManager redis = node.redis;
        RedisTaskQueues tasks = node.tasks;
        RedisEventManager events = node.events;
        RedisSessionManager sessions = node.sessions;
        TaskQueue q = tasks.forTenant("acme").queue("q");

        Set<String> taskIds = ConcurrentHashMap.newKeySet();
        Map<String, Set<String>> sessionIds = new ConcurrentHashMap<>();
        Set<String> eventMarks = ConcurrentHashMap.newKeySet();
        AtomicInteger rejected = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String user = "w" + w;
            sessionIds.put(user, ConcurrentHashMap.newKeySet());
            int base = w * 1_000_000;
            writers.add(new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        taskIds.add(q.enqueue("job", "{\"i\":" + (base + i) + "}", TaskPriority.NORMAL));
                    } catch (RedisCrewException e) {
                        rejected.incrementAndGet(); // a clear error is not an acknowledgement
                    }
                    try {
                        sessionIds.get(user).add(sessions.forTenant("acme").createSession(user, Map.of("i", i),
                                Duration.ofMinutes(10)));
                    } catch (RedisCrewException e) {
                        rejected.incrementAndGet();
                    }
                    String mark = Integer.toString(base + i);
                    try {
                        events.forTenant("acme").publish(Event.of(EventType.CUSTOM, Map.of("mark", mark)), "s");
                        eventMarks.add(mark);
                    } catch (RedisCrewException e) {
                        rejected.incrementAndGet();
                    }
                }
            }, "writer-" + w));
        }
        writers.forEach(Thread::start);
        Thread.sleep(300);
        server.freeze();
        try {
            Thread.sleep(1500); // > the 400 ms socket timeout: in-flight writes time out, then the breaker opens
        } finally {
            server.thaw();
        }
        Thread.sleep(500);
        stop.set(true);
        for (Thread t : writers) {
            t.join(10_000);
        }
        assertTrue(node.drainedWithin(Duration.ofSeconds(10)), "everything written back; pending: " + node.pending());

        // events: every acknowledged one exactly once
        String key = redis.forTenant("acme").keys().tagged("events", "s");
        List<StreamEntry> entries = redis.execute(j -> j.xrange(key, (StreamEntryID) null, (StreamEntryID) null));
        Map<String, Integer> seen = new HashMap<>();
        for (StreamEntry e : entries) {
            String data = e.getFields().get("data");
            String mark = data.replaceAll(".*\"mark\":\"([0-9]+)\".*", "$1");
            seen.merge(mark, 1, Integer::sum);
        }
        List<String> twice = new ArrayList<>();
        seen.forEach((m, n) -> {
            if (n > 1) {
                twice.add(m);
            }
        });
        assertEquals(List.of(), twice, "events stored more than once");
        assertEquals(eventMarks, seen.keySet(), "the stream holds exactly the acknowledged events");

        // sessions: every acknowledged one, and no other (a create applied under another id)
        for (Map.Entry<String, Set<String>> e : sessionIds.entrySet()) {
            Set<String> stored = new HashSet<>();
            for (Session s : sessions.forTenant("acme").listSessions(e.getKey())) {
                stored.add(s.id());
            }
            assertEquals(e.getValue(), stored, "sessions of " + e.getKey());
        }

        // tasks: each acknowledged task runs exactly once
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        try (TaskWorker w = q.startWorker(t -> {
            runs.merge(t.id(), 1, Integer::sum);
            return "ok";
        }, 4)) {
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (runs.size() < taskIds.size() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            Thread.sleep(500); // a duplicate in a pending list would be claimed meanwhile
        }
        List<String> ranTwice = new ArrayList<>();
        runs.forEach((id, n) -> {
            if (n > 1) {
                ranTwice.add(id);
            }
        });
        assertEquals(Collections.emptyList(), ranTwice, "tasks run more than once");
        assertEquals(taskIds, runs.keySet(), "every acknowledged task ran");
        assertTrue(taskIds.size() > 0 && eventMarks.size() > 0, "writes were made");
    }
}
