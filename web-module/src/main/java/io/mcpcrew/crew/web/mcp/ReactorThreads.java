package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.concurrency.CrewThreads;
import java.util.concurrent.ThreadFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads of Project Reactor (which the MCP SDK runs on) from {@link CrewThreads}: a {@link Schedulers.Factory}
 * that makes each of Reactor's schedulers a one-thread scheduler {@code crew-mcp-reactor-<kind>-<n>} (a managed thread
 * of the server), instead of Reactor's own thread pools. The SDK uses them only for timers: its session sweeper
 * ({@code single}), the keep-alive pings of listening streams ({@code boundedElastic}) and their timeouts
 * ({@code parallel}); tool calls run on the request's thread. Installed while the MCP server runs: Reactor is the
 * application's own copy (in {@code WEB-INF/lib}, or the EAR's {@code lib/}), so nothing else shares it.
 */
final class ReactorThreads implements Schedulers.Factory {
    private ReactorThreads() {
    }

    static void install() {
        Schedulers.setFactory(new ReactorThreads());
    }

    /** Disposes the schedulers made so far (their threads end) and restores Reactor's factory. */
    static void uninstall() {
        Schedulers.shutdownNow();
        Schedulers.resetFactory();
    }

    private static Scheduler scheduler(String kind) {
        return Schedulers.fromExecutorService(CrewThreads.scheduler("mcp-reactor-" + kind), "crew-mcp-reactor-" + kind);
    }

    @Override
    public Scheduler newBoundedElastic(int threadCap, int queuedTaskCap, ThreadFactory threadFactory, int ttlSeconds) {
        return scheduler("elastic");
    }

    @Override
    public Scheduler newThreadPerTaskBoundedElastic(int threadCap, int queuedTaskCap, ThreadFactory threadFactory) {
        return scheduler("elastic");
    }

    @Override
    public Scheduler newParallel(int parallelism, ThreadFactory threadFactory) {
        return scheduler("parallel");
    }

    @Override
    public Scheduler newSingle(ThreadFactory threadFactory) {
        return scheduler("single");
    }
}
