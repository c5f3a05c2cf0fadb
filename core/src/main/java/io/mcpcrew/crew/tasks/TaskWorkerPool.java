package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.concurrency.CrewThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A pool of workers serving one or many queues with one concurrency limit. One dispatcher thread
 * ({@link Dispatcher}) claims tasks and hands them to the executor; it acknowledges finished tasks in the same script
 * as the next claim ({@link TaskLeases#ackAndClaim}, batched by {@link AckBatcher}), renews the leases of running
 * ones every third of the lease ({@link LeaseRenewer}), and fails those that exceed their timeout.
 *
 * <p><b>Batching</b>: while completions keep arriving, the dispatcher waits until half the slots are free before it
 * acks and claims again (one round trip for many tasks); as soon as no completion arrives for a couple of
 * milliseconds it acks and claims whatever is free, so slow tasks never leave slots idle for long.
 *
 * <p><b>Fairness</b> ({@link FairClaimer}): each round visits the queues that have work in turn, starting one queue
 * further each time, and gives each at most its share of the free slots ({@code free / queues with work}, at least
 * one). A queue with 100,000 waiting tasks therefore gets no more of the pool than one with 10 while both have
 * work. A queue found empty is asked again after the poll interval, then less often while it stays empty (up to
 * ten times the interval: {@link IdleBackoff}).
 *
 * <p><b>Tenant share</b>: a tenant holds at most {@code tenantMaxShare} slots at once, over all its queues. The
 * dispatcher does not claim for a tenant at its cap (claimed tasks would wait unstarted while their leases run), so
 * with a cap below the concurrency one tenant's long tasks leave the other slots to other tenants: their tasks wait
 * for a free slot, never for that tenant's tasks to finish (as long as the tenants at their cap leave a slot free).
 *
 * <p><b>Shutdown</b> ({@link #stop}): no more claims; running tasks may finish within the grace period and are
 * acknowledged; the rest are released back to their queue and interrupted.
 */
public final class TaskWorkerPool implements TaskWorker {
    /** The logger of the pool and its parts. */
    static final Logger LOG = Logger.getLogger(TaskWorkerPool.class.getName());

    private final String name;
    private final int concurrency;
    private final int tenantMaxShare;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final ThreadFactory threadFactory;
    private final TaskQueueConfig config;
    private final WorkerStatus status;
    private final RunningTasks running;
    private final Dispatcher dispatcher;
    private volatile boolean alive;
    private Thread thread;

    /** A pool with no cap per tenant (every slot may go to one tenant): for one queue, or queues of one tenant. */
    public TaskWorkerPool(String name, Supplier<? extends List<? extends TaskLeases>> queueSource,
            Function<String, TaskHandler> handlers, int concurrency, ExecutorService executor,
            ThreadFactory threadFactory, TaskQueueConfig config) {
        this(name, queueSource, handlers, concurrency, concurrency, executor, threadFactory, config);
    }

    /**
     * @param queueSource    the queues to serve (their worker protocol: {@link TenantTaskQueues#leases}), asked
     *                       again every {@code redis.crew.tasks.workers.queue-refresh}
     * @param handlers       the handler of a task name (null: none; the attempt fails)
     * @param tenantMaxShare the most slots one tenant holds at once (1 to {@code concurrency}; see the class comment)
     * @param executor       runs the handlers (null: a private pool of {@code concurrency} threads
     *                       {@code crew-<name>-<n>} from {@link CrewThreads}: managed threads in a container)
     * @param threadFactory  makes the dispatcher thread (null: {@link CrewThreads}, thread
     *                       {@code crew-<name>-dispatcher-<n>})
     */
    public TaskWorkerPool(String name, Supplier<? extends List<? extends TaskLeases>> queueSource,
            Function<String, TaskHandler> handlers, int concurrency, int tenantMaxShare, ExecutorService executor,
            ThreadFactory threadFactory, TaskQueueConfig config) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        if (tenantMaxShare < 1 || tenantMaxShare > concurrency) {
            throw new IllegalArgumentException("tenantMaxShare must be from 1 to the concurrency (" + concurrency + "): "
                    + tenantMaxShare);
        }
        this.name = name;
        this.concurrency = concurrency;
        this.tenantMaxShare = tenantMaxShare;
        this.config = config;
        this.ownsExecutor = executor == null;
        this.executor = executor != null ? executor : CrewThreads.pool(name, concurrency);
        this.threadFactory = threadFactory != null ? threadFactory : CrewThreads.factory(name + "-dispatcher");
        this.status = new WorkerStatus(name);
        this.running = new RunningTasks(tenantMaxShare);
        this.dispatcher = new Dispatcher(name, queueSource, handlers, concurrency, this.executor, config, status,
                running);
    }

    /** Starts the dispatcher thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException(name + " already started");
        }
        alive = true;
        thread = threadFactory.newThread(this::runDispatcher);
        thread.start();
    }

    private void runDispatcher() {
        try {
            dispatcher.run();
        } finally {
            alive = false;
        }
    }

    @Override
    public boolean isAlive() {
        return alive;
    }

    @Override
    public int inFlight() {
        return running.count();
    }

    @Override
    public long succeeded() {
        return status.succeededCount();
    }

    @Override
    public long failed() {
        return status.failedCount();
    }

    @Override
    public long deferred() {
        return status.deferredCount();
    }

    @Override
    public String lastError() {
        return status.lastError();
    }

    public int concurrency() {
        return concurrency;
    }

    /** The most slots one tenant holds at once. */
    public int tenantMaxShare() {
        return tenantMaxShare;
    }

    @Override
    public void stop(Duration grace) {
        Thread d;
        synchronized (this) {
            d = thread;
            dispatcher.requestStop(grace);
        }
        if (d != null) {
            d.interrupt(); // wakes the dispatcher from its wait; it handles the interrupt as a stop signal
            try {
                d.join(grace.toMillis() + config.lease().toMillis() + 10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop(config.shutdownGrace());
    }
}
