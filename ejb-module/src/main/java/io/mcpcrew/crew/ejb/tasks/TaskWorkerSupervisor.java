package io.mcpcrew.crew.ejb.tasks;

import io.mcpcrew.crew.health.WorkerHealth;
import io.mcpcrew.crew.tasks.TaskHandlers;
import io.mcpcrew.crew.tasks.TaskLeases;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskQueueConfig;
import io.mcpcrew.crew.tasks.TaskQueues;
import io.mcpcrew.crew.tasks.TaskWorkerPool;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Local;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Runs the application's task handlers ({@link io.mcpcrew.crew.tasks.NamedTaskHandler} beans of any module, by task
 * name) on the queues of the registry they serve (their {@code tenants()} and {@code queues()}), claiming only the
 * task names it has a handler for there: a task of another name is left for the node or worker that serves it. With {@code redis.crew.tasks.workers.concurrency} tasks at once on the
 * server's {@link ManagedExecutorService}, fairly across queues and with at most
 * {@code redis.crew.tasks.workers.tenant-max-share} of them held by one tenant (see {@link TaskWorkerPool}), so one
 * tenant's long tasks never hold every slot. The dispatcher
 * thread ({@code crew-task-workers-dispatcher-<n>}) comes from {@link io.mcpcrew.crew.concurrency.CrewThreads}, so
 * from the server's managed thread factory. On undeploy or shutdown it stops claiming, lets running
 * tasks finish within {@code redis.crew.tasks.workers.shutdown-grace}, and gives the rest back to their queues.
 * Reports to the liveness check as {@code task-workers}.
 */
@Singleton
@Startup
@LocalBean
@Local(WorkerHealth.class)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class TaskWorkerSupervisor implements WorkerHealth {
    private static final Logger LOG = Logger.getLogger(TaskWorkerSupervisor.class.getName());

    @Inject
    TaskQueues queues;

    @Inject
    TaskHandlers handlers;

    @Resource
    ManagedExecutorService executor;

    private volatile TaskWorkerPool pool;
    private volatile TaskQueueConfig config;

    @PostConstruct
    void start() {
        config = queues.config();
        if (!config.workersEnabled()) {
            LOG.info("Crew task workers are disabled (redis.crew.tasks.workers.enabled=false)");
            return;
        }
        TaskWorkerPool p = new TaskWorkerPool("task-workers", this::registeredQueues,
                name -> handlers.handler(name).orElse(null), config.workersConcurrency(),
                config.workersTenantMaxShare(), executor, null, config);
        p.start();
        pool = p;
        LOG.info(() -> "Crew task workers started: concurrency " + config.workersConcurrency() + ", at most "
                + config.workersTenantMaxShare() + " per tenant, handlers " + handlers.taskNames());
    }

    /** The worker protocol of every queue in the registry that some handler serves, for the names served there. */
    private List<TaskLeases> registeredQueues() {
        List<TaskLeases> out = new ArrayList<>();
        for (TaskQueue q : queues.registeredQueues()) {
            Set<String> names = handlers.forQueue(q.tenant(), q.name()).keySet();
            if (!names.isEmpty()) {
                out.add(queues.forTenant(q.tenant()).leases(q.name(), names));
            }
        }
        return out;
    }

    @PreDestroy
    void stop() {
        TaskWorkerPool p = pool;
        if (p != null) {
            LOG.info(() -> "Crew task workers stopping: " + p.inFlight() + " task(s) running, grace "
                    + config.shutdownGrace());
            p.stop(config.shutdownGrace());
        }
    }

    @Override
    public String workerName() {
        return "task-workers";
    }

    @Override
    public boolean alive() {
        TaskWorkerPool p = pool;
        return p == null ? !config.workersEnabled() : p.isAlive();
    }

    @Override
    public String detail() {
        TaskWorkerPool p = pool;
        if (p == null) {
            return "disabled";
        }
        String err = p.lastError();
        return p.inFlight() + "/" + p.concurrency() + " running (at most " + p.tenantMaxShare() + " per tenant), "
                + p.succeeded() + " succeeded, " + p.failed()
                + " failed, " + p.deferred() + " deferred" + (err.isEmpty() ? "" : ", last error: " + err);
    }
}
