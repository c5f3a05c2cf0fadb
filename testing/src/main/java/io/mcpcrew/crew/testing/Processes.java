package io.mcpcrew.crew.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Kills every redis-server this JVM started when the JVM exits, whatever happened to the tests. */
final class Processes {
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly),
                "crew-redis-test-reaper"));
    }

    private Processes() {
    }

    static void register(Process p) {
        STARTED.add(p);
        p.onExit().thenRun(() -> STARTED.remove(p));
    }
}
