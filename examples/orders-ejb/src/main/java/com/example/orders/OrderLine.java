package com.example.orders;

import java.math.BigDecimal;

/** One line of an {@link Order}: {@code quantity} items of {@code sku} at {@code unitPrice} each. */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

    BigDecimal amount() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
