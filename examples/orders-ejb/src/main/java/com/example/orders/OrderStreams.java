package com.example.orders;

import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.events.Subscription;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fires the events of each tenant's {@value OrderService#STREAM} stream as CDI events, for {@link OrderEvents}: in
 * the consumer group {@value #GROUP}, so each event reaches one node of a cluster (an observer that throws gets it
 * again, then it goes to the stream's dead letters). Started here rather than by
 * {@code redis.crew.events.cdi.streams} because the bridge fires through the BeanManager of the module that starts
 * it, and this module's sees this module's observers.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN) // start and stop only: the container's lock adds nothing
public class OrderStreams {
    private static final Logger LOG = Logger.getLogger(OrderStreams.class.getName());
    /** The consumer group of this application on the orders stream. */
    static final String GROUP = "orders-app";

    @Inject
    EventManager events;

    @Inject
    @ConfigProperty(name = "orders.tenants", defaultValue = "acme")
    List<String> tenants;

    private final List<Subscription> bridges = new ArrayList<>();

    @PostConstruct
    void start() {
        for (String tenant : tenants) {
            bridges.add(events.bridgeToCdi(tenant, OrderService.STREAM, GROUP));
        }
        LOG.info(() -> "orders: events of stream " + OrderService.STREAM + " reach the CDI observers, tenants " + tenants);
    }

    @PreDestroy
    void stop() {
        for (Subscription s : bridges) {
            s.close();
        }
        bridges.clear();
    }
}
