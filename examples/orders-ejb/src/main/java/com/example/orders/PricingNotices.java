package com.example.orders;

import io.mcpcrew.crew.tasks.TaskCompletion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import java.io.StringReader;

/**
 * Hears when a pricing task finishes, with plain CDI: Crew fires {@link TaskCompletion} on the server whose worker
 * finished the task, after Redis stored the outcome. Records the notice on the order ({@code pricingNotice}, e.g.
 * {@code SUCCEEDED#1}) so that anyone reading the order sees the application heard of it.
 */
@ApplicationScoped
public class PricingNotices {

    @Inject
    OrderService orders;

    void onDone(@Observes TaskCompletion c) {
        if (!OrderService.PRICE_ORDER.equals(c.taskName()) || c.outcome() != TaskCompletion.Outcome.SUCCEEDED) {
            return;
        }
        String orderId;
        try (JsonReader r = Json.createReader(new StringReader(c.result()))) {
            orderId = r.readObject().getString("orderId");
        }
        orders.noticed(c.tenant(), orderId, c.outcome() + "#" + c.attempt());
    }
}
