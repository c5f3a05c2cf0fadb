package com.example.orders;

import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.FromStream;
import io.mcpcrew.crew.events.OfType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Observes the orders stream ({@link OrderStreams} bridges it to CDI): an {@code order.placed} event starts the
 * pipeline. Called on the stream's reader thread, one event at a time.
 */
@ApplicationScoped
public class OrderEvents {
    private static final Logger LOG = Logger.getLogger(OrderEvents.class.getName());

    @Inject
    OrderService orders;

    void placed(@Observes @FromStream(OrderService.STREAM) @OfType(OrderService.ORDER_PLACED) Event e) {
        Order order;
        try {
            order = Order.parse(e.dataJson());
        } catch (IllegalArgumentException bad) {
            // not an order: no redelivery makes it one; acknowledged and logged
            LOG.warning(() -> "orders: ignored " + e + " of tenant " + e.tenant() + ": " + bad.getMessage());
            return;
        }
        orders.placed(e.tenant(), e.id(), order);
    }
}
