package io.mcpcrew.crew.concurrency;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.naming.NoInitialContextException;

/**
 * The one source of threads of the application. Every thread it makes is named {@code crew-<purpose>-<n>}
 * ({@code n} counts every thread made here) and comes from:
 * <ul>
 *   <li>in a Jakarta EE container: the server's {@code java:comp/DefaultManagedThreadFactory} (so each thread is a
 *       {@code jakarta.enterprise.concurrent.ManageableThread} with the application's context, stopped by the
 *       server with the application);</li>
 *   <li>outside one (no JNDI, e.g. tests, benchmarks, a plain Java program): a daemon thread of this process.</li>
 * </ul>
 * The factory is looked up once, on the first thread asked for, and kept. A lookup that fails for want of JNDI
 * ({@link NoInitialContextException}) means no container, and is kept too; any other failure (a container, asked
 * from a thread without a component context) is logged once and tried again on the next call, that one thread
 * being a daemon thread.
 *
 * <p>Executors: {@link #pool} and {@link #scheduler} are executors of such threads that the caller owns (and shuts
 * down); {@link #managedScheduler()} is the server's {@code java:comp/DefaultManagedScheduledExecutorService}, owned
 * by the server.
 */
public final class CrewThreads {
    private static final Logger LOG = Logger.getLogger(CrewThreads.class.getName());
    /** The JNDI name of the server's default managed thread factory. */
    public static final String MANAGED_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
    /** The JNDI name of the server's default managed scheduled executor. */
    public static final String MANAGED_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";
    /** The start of every thread name made here. */
    public static final String NAME_PREFIX = "crew-";

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Lookup<ThreadFactory> FACTORY = new Lookup<>(MANAGED_THREAD_FACTORY, ThreadFactory.class,
            "this thread is a daemon thread of the process");
    private static final Lookup<ScheduledExecutorService> SCHEDULER =
            new Lookup<>(MANAGED_SCHEDULER, ScheduledExecutorService.class,
            "the caller uses a scheduler of its own");

    private CrewThreads() {
    }

    /**
     * A new, unstarted thread {@code crew-<purpose>-<n>} running {@code work}: a managed thread in a container, a
     * daemon thread outside one.
     *
     * @throws IllegalStateException if the server's factory makes no thread (the application is stopping)
     */
    public static Thread newThread(String purpose, Runnable work) {
        String name = NAME_PREFIX + purpose + "-" + SEQUENCE.incrementAndGet();
        ThreadFactory managed = FACTORY.get();
        if (managed == null) {
            Thread t = new Thread(work, name);
            t.setDaemon(true);
            return t;
        }
        Thread t = managed.newThread(work);
        if (t == null) {
            throw new IllegalStateException(MANAGED_THREAD_FACTORY + " made no thread for " + name
                    + " (is the application stopping?)");
        }
        try {
            t.setName(name);
        } catch (SecurityException e) {
            LOG.log(Level.FINE, "the server's managed thread keeps its own name " + t.getName(), e);
        }
        return t;
    }

    /**
     * A thread factory whose threads are {@link #newThread}{@code (purpose, r)} (it throws
     * {@link IllegalStateException} when the server makes no thread).
     */
    public static ThreadFactory factory(String purpose) {
        return r -> newThread(purpose, r);
    }

    /** For executors: as {@link #factory}, but null when the server makes no thread (the executor then refuses). */
    private static ThreadFactory executorFactory(String purpose) {
        return r -> {
            try {
                return newThread(purpose, r);
            } catch (IllegalStateException e) {
                LOG.log(Level.FINE, "no thread for " + purpose, e);
                return null;
            }
        };
    }

    /**
     * A pool of {@code threads} threads {@code crew-<purpose>-<n>} (made as tasks arrive, kept until
     * {@code shutdown}), with an unbounded queue; a task for which the server makes no thread is refused
     * ({@code RejectedExecutionException}). The caller owns it and shuts it down.
     */
    public static ExecutorService pool(String purpose, int threads) {
        return new ThreadPoolExecutor(threads, threads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                executorFactory(purpose));
    }

    /**
     * {@link #pool} with its threads made now, on the caller's thread: for work submitted later from threads that
     * cannot make managed threads (in Payara, the health endpoint's threads carry no application context, and the
     * server's factory makes no thread for them).
     *
     * @throws IllegalStateException if the server makes no thread now
     */
    public static ExecutorService startedPool(String purpose, int threads) {
        ThreadPoolExecutor p = (ThreadPoolExecutor) pool(purpose, threads);
        if (p.prestartAllCoreThreads() < threads) {
            p.shutdownNow();
            throw new IllegalStateException("the server made no thread for " + purpose);
        }
        return p;
    }

    /** A scheduler on one thread {@code crew-<purpose>-<n>}. The caller owns it and shuts it down. */
    public static ScheduledExecutorService scheduler(String purpose) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, executorFactory(purpose));
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /**
     * The server's {@code java:comp/DefaultManagedScheduledExecutorService}, or empty outside a container. The
     * server owns it: never shut it down.
     */
    public static Optional<ScheduledExecutorService> managedScheduler() {
        return Optional.ofNullable(SCHEDULER.get());
    }

    /** True when threads come from the server's managed thread factory (looking it up if not done yet). */
    public static boolean managed() {
        return FACTORY.get() != null;
    }

    /** A JNDI object looked up once: kept when found, or when there is no JNDI at all. */
    private static final class Lookup<T> {
        private static final Object NONE = new Object();
        private final String name;
        private final Class<T> type;
        private final String fallback;
        private final AtomicBoolean warned = new AtomicBoolean();
        private volatile Object value;

        Lookup(String name, Class<T> type, String fallback) {
            this.name = name;
            this.type = type;
            this.fallback = fallback;
        }

        T get() {
            Object v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = lookup();
                        if (v != null) {
                            value = v;
                        }
                    }
                }
            }
            return v == null || v == NONE ? null : type.cast(v);
        }

        private Object lookup() {
            try {
                Object found = InitialContext.doLookup(name);
                if (type.isInstance(found)) {
                    LOG.fine(() -> "Crew threads: " + name + " found");
                    return found;
                }
                throw new NamingException(name + " is a " + (found == null ? null : found.getClass().getName())
                        + ", not a " + type.getName());
            } catch (NoInitialContextException e) {
                LOG.fine(() -> "Crew threads: no JNDI (" + e + "), so no container: daemon threads of this process");
                return NONE;
            } catch (NamingException | RuntimeException e) {
                if (warned.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "Crew threads: {0} could not be looked up from thread {1} ({2}): {3}; "
                            + "the lookup is tried again on the next call (this warning is logged once)",
                            new Object[] {name, Thread.currentThread().getName(), e.toString(), fallback});
                }
                return null;
            }
        }
    }
}
