package com.example.orders;

import io.mcpcrew.crew.tasks.TaskQueues;
import io.mcpcrew.crew.tasks.TaskWorker;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This application's own task worker: one per tenant of {@code orders.tenants}, on that tenant's
 * {@value OrderService#SHIPPING_QUEUE} queue, running {@link ShipOrder} ({@value OrderService#SHIP_ORDER} tasks
 * only) at most {@value #CONCURRENCY} at once on the server's {@link ManagedExecutorService}. Started with the
 * application, stopped with it: in-flight shipments get {@value #STOP_GRACE_SECONDS} s to finish, the rest go back
 * to the queue for the next node (their attempt not counted).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN) // start and stop only: the container's lock adds nothing
public class ShippingWorkers {
    private static final Logger LOG = Logger.getLogger(ShippingWorkers.class.getName());
    static final int CONCURRENCY = 4;
    static final int STOP_GRACE_SECONDS = 10;

    @Inject
    TaskQueues queues;

    @Inject
    OrderService orders;

    @Resource
    ManagedExecutorService executor;

    @Inject
    @ConfigProperty(name = "orders.tenants", defaultValue = "acme")
    List<String> tenants;

    private final List<TaskWorker> workers = new ArrayList<>();

    @PostConstruct
    void start() {
        ShipOrder shipOrder = new ShipOrder(orders);
        for (String tenant : tenants) {
            workers.add(queues.forTenant(tenant).queue(OrderService.SHIPPING_QUEUE)
                    .startWorker(List.of(shipOrder), CONCURRENCY, executor));
        }
        LOG.info(() -> "orders: shipping workers started for tenants " + tenants);
    }

    @PreDestroy
    void stop() {
        for (TaskWorker w : workers) {
            w.stop(Duration.ofSeconds(STOP_GRACE_SECONDS));
        }
        workers.clear();
    }
}
