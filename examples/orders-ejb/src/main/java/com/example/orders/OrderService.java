package com.example.orders;

import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.tasks.TaskOptions;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueues;
import io.mcpcrew.crew.tenancy.TenantRedis;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The order pipeline's steps, each one Redis round trip or two through Crew's components: an order placed is kept
 * and priced, an order priced is announced and shipped, an order shipped is recorded.
 *
 * <p>An order is a hash {@code <prefix>:<tenant>:orders:<orderId>} ({@code status}, and what each step wrote),
 * kept for the CACHE time to live ({@code redis.crew.ttl.cache}, 1 h). Each step enqueues the next one with an
 * idempotency key, so an event or task delivered twice starts the next step once.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // Redis only: nothing to enlist in a transaction
public class OrderService {
    /** The event stream of orders (per tenant). */
    public static final String STREAM = "orders";
    /** The type of the event that starts the pipeline. */
    public static final String ORDER_PLACED = "order.placed";
    /** The type of the event announcing a price. */
    public static final String ORDER_PRICED = "order.priced";
    /** The queue of {@value #PRICE_ORDER} tasks, served by the built-in supervisor through {@link PriceOrderHandler}. */
    public static final String PRICING_QUEUE = "orders";
    /** The queue of {@value #SHIP_ORDER} tasks, served by this application's own worker ({@link ShippingWorkers}). */
    public static final String SHIPPING_QUEUE = "shipping";
    public static final String PRICE_ORDER = "price-order";
    public static final String SHIP_ORDER = "ship-order";
    /** The key component of the order hashes. */
    static final String COMPONENT = "orders";

    @Inject
    RedisManager redis;

    @Inject
    TaskQueues queues;

    @Inject
    EventManager events;

    /**
     * An {@code order.placed} event arrived: keeps the order (PLACED) and enqueues its {@value #PRICE_ORDER} task.
     *
     * @return the id of the pricing task (the first one's, if this order was placed before)
     */
    public String placed(String tenant, String eventId, Order order) {
        write(tenant, order.orderId(), Map.of("status", "PLACED", "placedEvent", eventId, "lines",
                String.valueOf(order.lines().size())));
        return queues.forTenant(tenant).queue(PRICING_QUEUE).enqueue(PRICE_ORDER, order.toJson(), TaskPriority.NORMAL,
                TaskOptions.defaults().withIdempotencyKey(PRICE_ORDER + "-" + order.orderId()));
    }

    /**
     * The order is priced: records the total (PRICED), announces it on the stream ({@value #ORDER_PRICED}) and
     * enqueues its {@value #SHIP_ORDER} task.
     *
     * @return the id of the shipping task
     */
    public String priced(String tenant, String orderId, BigDecimal total, String pricingTaskId) {
        write(tenant, orderId, Map.of("status", "PRICED", "total", total.toPlainString(), "pricingTask", pricingTaskId));
        events.forTenant(tenant).publish(Event.builder(EventType.of(ORDER_PRICED))
                .data(Map.of("orderId", orderId, "total", total.toPlainString())).source("orders").build(), STREAM);
        return queues.forTenant(tenant).queue(SHIPPING_QUEUE).enqueue(SHIP_ORDER,
                Json.createObjectBuilder().add("orderId", orderId).build().toString(), TaskPriority.NORMAL,
                TaskOptions.defaults().withIdempotencyKey(SHIP_ORDER + "-" + orderId));
    }

    /** The order is shipped: records the tracking id (SHIPPED). */
    public void shipped(String tenant, String orderId, String trackingId, String shippingTaskId) {
        write(tenant, orderId, Map.of("status", "SHIPPED", "trackingId", trackingId, "shippingTask", shippingTaskId));
    }

    /** The application heard that the order's pricing task finished ({@link PricingNotices}). */
    public void noticed(String tenant, String orderId, String notice) {
        write(tenant, orderId, Map.of("pricingNotice", notice));
    }

    /** The order's hash (empty if unknown or expired). */
    public Map<String, String> order(String tenant, String orderId) {
        TenantRedis t = redis.forTenant(tenant);
        String key = t.keys().key(COMPONENT, orderId);
        return new LinkedHashMap<>(t.execute(j -> j.hgetAll(key)));
    }

    private void write(String tenant, String orderId, Map<String, String> fields) {
        TenantRedis t = redis.forTenant(tenant);
        String key = t.keys().key(COMPONENT, orderId);
        long ttlSeconds = t.ttl(DataType.CACHE).toSeconds();
        t.execute(j -> {
            j.hset(key, fields);
            return j.expire(key, ttlSeconds);
        });
    }
}
