package io.mcpcrew.crew.ejb.tasks;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.tasks.ScheduleRunner;
import io.mcpcrew.crew.tasks.TaskQueueConfig;
import io.mcpcrew.crew.tasks.TaskQueues;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires the recurring tasks' due ticks: {@link ScheduleRunner#runDue()} every
 * {@code redis.crew.tasks.schedules.interval} (default and least 1 s; off with
 * {@code redis.crew.tasks.schedules.enabled=false}) on a non-persistent interval timer. Every node runs it; each tick
 * is fired by one of them (a compare-and-set in Redis), so more nodes only make ticks fire sooner after a node
 * stops. A pass still running when the timer fires again is not doubled (that timeout is skipped). Skipped while
 * Redis is unavailable: the ticks fire when it is back (late ones within the catch-up window each, older ones
 * once).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ScheduleTimer {
    private static final Logger LOG = Logger.getLogger(ScheduleTimer.class.getName());

    @Inject
    TaskQueues queues;

    @Inject
    RedisManager redis;

    @Resource
    TimerService timers;

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile ScheduleRunner runner;

    @PostConstruct
    void schedule() {
        TaskQueueConfig config = queues.config();
        if (!config.schedulesEnabled()) {
            LOG.info("recurring tasks are not fired on this node (redis.crew.tasks.schedules.enabled=false)");
            return;
        }
        runner = new ScheduleRunner(queues);
        long every = config.schedulesInterval().toMillis();
        timers.createIntervalTimer(every, every, new TimerConfig("crew-task-schedules", false));
        LOG.info(() -> "recurring tasks: due ticks are fired every " + config.schedulesInterval());
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // Redis only: no JTA transaction to hold open
    void fire() {
        ScheduleRunner r = runner;
        if (r == null || redis.useFallback() || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            int fired = r.runDue();
            if (fired > 0) {
                LOG.fine(() -> "recurring tasks: fired " + fired + " ticks");
            }
        } catch (RedisCrewException e) {
            LOG.log(Level.WARNING, "recurring tasks not fired (retried at the next interval): {0}", e.getMessage());
        } catch (RuntimeException e) { // never out of a timeout: the container would retry it at once
            LOG.log(Level.SEVERE, "recurring tasks not fired (retried at the next interval)", e);
        } finally {
            running.set(false);
        }
    }
}
