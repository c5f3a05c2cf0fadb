package com.example.orders;

import io.mcpcrew.crew.tasks.NamedTaskHandler;
import io.mcpcrew.crew.tasks.PermanentTaskFailure;
import io.mcpcrew.crew.tasks.Task;
import jakarta.enterprise.inject.Vetoed;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.UUID;

/**
 * Ships an order ({@value OrderService#SHIP_ORDER} tasks, payload {@code {"orderId":"o-1"}}); result
 * {@code {"orderId","trackingId","shippedBy":"orders-shipping"}}.
 *
 * <p>Run only by this application's own worker ({@link ShippingWorkers}), never by Crew's built-in supervisor:
 * {@link Vetoed} keeps it from ever being a CDI bean (the supervisor runs the {@link NamedTaskHandler} beans), so no
 * node claims a {@code ship-order} task unless it runs this application's worker on that tenant's queue.
 */
@Vetoed
public final class ShipOrder implements NamedTaskHandler {
    /** Who shipped it, in the result: this application's own worker. */
    static final String SHIPPED_BY = "orders-shipping";

    private final OrderService orders;

    ShipOrder(OrderService orders) {
        this.orders = orders;
    }

    @Override
    public String taskName() {
        return OrderService.SHIP_ORDER;
    }

    @Override
    public String handle(Task task) throws PermanentTaskFailure {
        String orderId;
        try (JsonReader r = Json.createReader(new StringReader(task.payload()))) {
            orderId = r.readObject().getString("orderId");
        } catch (JsonException | ClassCastException | NullPointerException e) {
            throw new PermanentTaskFailure("a ship-order payload is {\"orderId\":\"...\"}, not " + task.payload(), e);
        }
        String trackingId = "TRK-" + UUID.randomUUID();
        orders.shipped(task.tenant(), orderId, trackingId, task.id());
        JsonObject result = Json.createObjectBuilder().add("orderId", orderId).add("trackingId", trackingId)
                .add("shippedBy", SHIPPED_BY).build();
        return result.toString();
    }
}
