package io.mcpcrew.crew.topology;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Kills every process the suite started (Sentinels, Payara Micro nodes) when the JVM exits, whatever happened. */
final class Reaper {
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly),
                "crew-topology-reaper"));
    }

    private Reaper() {
    }

    static void register(Process p) {
        STARTED.add(p);
        p.onExit().thenRun(() -> STARTED.remove(p));
    }
}
