package io.mcpcrew.crew.resilience;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the components' {@link WriteBack}s when Redis is available and something is pending. Triggered two ways, so
 * recovery never depends on the thread that noticed it: at once when the breaker closes (handed to the manager's
 * scheduler), and on every tick of the manager's probe (a periodic task on the same scheduler, started with the
 * manager, so it runs on a managed thread in a container). One run at a time; each write-back logs its count.
 */
public final class RecoveryWriter {
    private static final Logger LOG = Logger.getLogger(RecoveryWriter.class.getName());

    private final List<WriteBack> writeBacks = new CopyOnWriteArrayList<>();
    private final List<Runnable> onRecovery = new CopyOnWriteArrayList<>();
    private final AtomicBoolean recovered = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final BooleanSupplier available;
    private final Executor executor;

    public RecoveryWriter(BooleanSupplier available, Executor executor) {
        this.available = available;
        this.executor = executor;
    }

    public void add(WriteBack w) {
        writeBacks.add(w);
    }

    /** An action run once after each recovery, before the write-backs (e.g. forgetting what Redis may have lost). */
    public void addRecoveryAction(Runnable action) {
        onRecovery.add(action);
    }

    /**
     * The breaker closed: marks the recovery (so the next run does the recovery actions, whichever thread runs it)
     * and hands a run to the executor; if the executor refuses, the next probe tick runs it.
     */
    public void recovered() {
        recovered.set(true);
        kickAsync();
    }

    private void kickAsync() {
        try {
            executor.execute(this::tick);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "write-back not handed to the scheduler ({0}); the next probe tick runs it", e.toString());
        }
    }

    /** Runs every write-back with something pending, if Redis is available; returns how many items were written. */
    public int tick() {
        if (!available.getAsBoolean() || !running.compareAndSet(false, true)) {
            return 0;
        }
        int total = 0;
        try {
            if (recovered.getAndSet(false)) {
                for (Runnable r : onRecovery) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "a recovery action failed", e);
                    }
                }
            }
            for (WriteBack w : writeBacks) {
                if (w.pending() == 0) {
                    continue;
                }
                try {
                    int n = w.writeBack();
                    total += n;
                    int left = w.pending();
                    LOG.log(n > 0 ? Level.INFO : Level.FINE, "Redis is available: wrote back {0} buffered {1}; {2} "
                            + "still buffered", new Object[] {n, w.name(), left});
                } catch (RedisCrewException e) {
                    LOG.log(Level.WARNING, "writing back buffered {0} stopped ({1} still buffered; retried on the next "
                            + "probe tick): {2}", new Object[] {w.name(), w.pending(), e.getMessage()});
                    if (e instanceof RedisUnavailableException) {
                        break;
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "writing back buffered " + w.name() + " failed", e);
                }
            }
        } finally {
            running.set(false);
        }
        return total;
    }
}
