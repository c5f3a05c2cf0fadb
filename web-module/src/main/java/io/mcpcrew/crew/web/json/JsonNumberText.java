package io.mcpcrew.crew.web.json;

import jakarta.json.JsonNumber;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A JSON number as it was written ({@code -0.0}, {@code 1e2}, {@code 0.1}) with its exact decimal value. Writing
 * it back (event data, task payloads) gives the same text; comparing two is by value, as {@link JsonNumber} asks.
 *
 * @param text  the number's JSON text, at most {@link JsonBody#MAX_NUMBER_CHARS} characters
 * @param value its exact value
 */
public record JsonNumberText(String text, BigDecimal value) implements JsonNumber {

    @Override
    public boolean isIntegral() {
        return value.scale() == 0;
    }

    /** True if the value has no fractional part ({@code 3}, {@code 3.0}, {@code 3e2}; not {@code 3.5}). */
    public boolean isWhole() {
        return value.signum() == 0 || value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0;
    }

    @Override
    public int intValue() {
        return value.intValue();
    }

    @Override
    public int intValueExact() {
        return value.intValueExact();
    }

    @Override
    public long longValue() {
        return value.longValue();
    }

    @Override
    public long longValueExact() {
        return value.longValueExact();
    }

    @Override
    public BigInteger bigIntegerValue() {
        return value.toBigInteger();
    }

    @Override
    public BigInteger bigIntegerValueExact() {
        return value.toBigIntegerExact();
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    @Override
    public BigDecimal bigDecimalValue() {
        return value;
    }

    @Override
    public ValueType getValueType() {
        return ValueType.NUMBER;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonNumber && value.equals(((JsonNumber) o).bigDecimalValue());
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
