package io.mcpcrew.crew.fallback;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.sessions.RedisSessionManager;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * An application node for {@link NodeCrashIT}, in a JVM of its own: with Redis down, it accepts tasks, sessions and
 * events (journaled), writes what it acknowledged to a file, a line each, then "READY", and waits to be killed.
 * Arguments: host port journal-dir out-file count.
 */
public final class OutageWriterMain {
    private OutageWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(Map.of("redis.crew.host", args[0],
                "redis.crew.port", args[1], "redis.crew.fallback.journal.dir", args[2],
                "redis.crew.breaker.probe-interval", "50ms", "redis.crew.timeout", "500ms")), null);
        TaskQueue q = new RedisTaskQueues(redis).forTenant("acme").queue("q");
        RedisEventManager events = new RedisEventManager(redis);
        RedisSessionManager sessions = new RedisSessionManager(redis);
        int n = Integer.parseInt(args[4]);
        try (PrintStream out = new PrintStream(new FileOutputStream(args[3]), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                out.println("task " + q.enqueue("job", "{\"i\":" + i + "}", TaskPriority.NORMAL));
                out.println("session " + sessions.forTenant("acme").createSession("u", Map.of("i", i), Duration.ofHours(1)));
                events.forTenant("acme").publish(Event.of(EventType.CUSTOM, Map.of("mark", Integer.toString(i))), "s");
                out.println("event " + i);
            }
            out.println("READY");
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
