package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The order rules the handler and the observer share: parsing, checking and the total. */
class OrderTest {

    @Test
    void parsesAnOrderAndAddsUpItsLines() {
        Order o = Order.parse("{\"orderId\":\"o-1\",\"lines\":[{\"sku\":\"pen\",\"quantity\":3,\"unitPrice\":1.25},"
                + "{\"sku\":\"pad\",\"quantity\":1,\"unitPrice\":4.10}]}");
        assertEquals("o-1", o.orderId());
        assertEquals(2, o.lines().size());
        assertNull(o.supplierQuoteMillis());
        assertEquals(0, new BigDecimal("7.85").compareTo(o.total()), o.total().toPlainString());
        assertEquals(o, Order.parse(o.toJson()), "its JSON reads back as the same order");
    }

    @Test
    void refusesWhatIsNotAnOrderNamingTheRule() {
        IllegalArgumentException badId = assertThrows(IllegalArgumentException.class,
                () -> Order.parse("{\"orderId\":\"a b\",\"lines\":[{\"sku\":\"x\",\"quantity\":1,\"unitPrice\":1}]}"));
        assertTrue(badId.getMessage().contains("invalid orderId") && badId.getMessage().contains("[A-Za-z0-9_.-]{1,64}"),
                badId.getMessage());
        IllegalArgumentException noLines = assertThrows(IllegalArgumentException.class,
                () -> Order.parse("{\"orderId\":\"o-2\",\"lines\":[]}"));
        assertTrue(noLines.getMessage().contains("needs lines"), noLines.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Order.parse("{\"orderId\":\"o-3\",\"lines\":[{\"sku\":\"x\",\"quantity\":0,\"unitPrice\":1}]}"));
        assertTrue(zero.getMessage().contains("quantity of at least 1"), zero.getMessage());
        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class, () -> Order.parse("[1,2"));
        assertTrue(notJson.getMessage().startsWith("not an order"), notJson.getMessage());
    }
}
