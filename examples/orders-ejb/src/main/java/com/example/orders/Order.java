package com.example.orders;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An order as it travels in the {@code order.placed} event and the {@code price-order} task payload:
 * {@code {"orderId":"o-1","lines":[{"sku":"pen","quantity":2,"unitPrice":1.25}],"supplierQuoteMillis":0}}.
 *
 * @param supplierQuoteMillis how long the supplier takes to quote this order (the example's stand-in for a slow
 *                            remote call; null or absent: at once)
 */
public record Order(String orderId, List<OrderLine> lines, Long supplierQuoteMillis) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Jsonb JSON = JsonbBuilder.create();

    /**
     * The order in {@code json}, checked.
     *
     * @throws IllegalArgumentException if it is not an order, naming what is wrong
     */
    static Order parse(String json) {
        Order o;
        try {
            o = JSON.fromJson(json, Order.class);
        } catch (JsonbException e) {
            throw new IllegalArgumentException("not an order: " + e.getMessage(), e);
        }
        if (o == null || o.orderId() == null || !ID.matcher(o.orderId()).matches()) {
            throw new IllegalArgumentException("invalid orderId in " + json + ": must match " + ID);
        }
        if (o.lines() == null || o.lines().isEmpty() || o.lines().stream().anyMatch(l -> l == null || l.sku() == null
                || l.quantity() < 1 || l.unitPrice() == null || l.unitPrice().signum() < 0)) {
            throw new IllegalArgumentException("order " + o.orderId() + " needs lines with a sku, a quantity of at least 1"
                    + " and a unit price of at least 0: " + json);
        }
        return o;
    }

    BigDecimal total() {
        return lines.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    String toJson() {
        return JSON.toJson(this);
    }
}
