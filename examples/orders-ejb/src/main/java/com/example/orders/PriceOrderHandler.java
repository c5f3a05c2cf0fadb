package com.example.orders;

import io.mcpcrew.crew.tasks.NamedTaskHandler;
import io.mcpcrew.crew.tasks.PermanentTaskFailure;
import io.mcpcrew.crew.tasks.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Prices an order ({@value OrderService#PRICE_ORDER} tasks): asks the supplier for a quote, adds up the lines,
 * then hands the order on to shipping. A CDI bean implementing {@link NamedTaskHandler}, so Crew's built-in
 * supervisor (in {@code crew-redis-ejb.jar}) finds it in this module and runs it, on the
 * {@value OrderService#PRICING_QUEUE} queue only ({@link #queues()}).
 *
 * <p>Each call is bounded by MicroProfile Fault Tolerance: at most {@value #TIMEOUT_SECONDS} s
 * ({@link Timeout}: the call is interrupted and the attempt fails with a {@code TimeoutException}, retried with
 * backoff like any failure) and at most {@value #BULKHEAD} at once on this server ({@link Bulkhead}: a call over the
 * limit is refused with a {@code BulkheadException}, and the worker puts the task back for later without counting
 * an attempt). Both limits are configuration, e.g. {@code com.example.orders.PriceOrderHandler/handle/Bulkhead/value=2}
 * (environment variable {@code COM_EXAMPLE_ORDERS_PRICEORDERHANDLER_HANDLE_BULKHEAD_VALUE=2}).
 *
 * <p>The result tells what happened: {@code {"orderId","total","shippingTask","concurrentPricings"}}, the last being
 * how many pricings ran on this server (this one included) when this one started.
 */
@ApplicationScoped
public class PriceOrderHandler implements NamedTaskHandler {
    static final int TIMEOUT_SECONDS = 5;
    static final int BULKHEAD = 4;

    @Inject
    OrderService orders;

    private final AtomicInteger running = new AtomicInteger();

    @Override
    public String taskName() {
        return OrderService.PRICE_ORDER;
    }

    /** Only this application's pricing queue: a {@code price-order} task on another queue is not this handler's. */
    @Override
    public Set<String> queues() {
        return Set.of(OrderService.PRICING_QUEUE);
    }

    @Override
    @Timeout(value = TIMEOUT_SECONDS, unit = ChronoUnit.SECONDS)
    @Bulkhead(BULKHEAD)
    public String handle(Task task) throws Exception {
        int concurrent = running.incrementAndGet();
        try {
            Order order;
            try {
                order = Order.parse(task.payload());
            } catch (IllegalArgumentException bad) {
                throw new PermanentTaskFailure(bad.getMessage(), bad); // no retry makes it an order: dead-letter at once
            }
            quoteFromSupplier(order);
            BigDecimal total = order.total();
            String shippingTask = orders.priced(task.tenant(), order.orderId(), total, task.id());
            return Json.createObjectBuilder().add("orderId", order.orderId()).add("total", total)
                    .add("shippingTask", shippingTask).add("concurrentPricings", concurrent).build().toString();
        } finally {
            running.decrementAndGet();
        }
    }

    /** The example's stand-in for a remote call: it takes {@link Order#supplierQuoteMillis()}. */
    private static void quoteFromSupplier(Order order) throws InterruptedException {
        Long millis = order.supplierQuoteMillis();
        if (millis != null && millis > 0) {
            Thread.sleep(millis);
        }
    }
}
