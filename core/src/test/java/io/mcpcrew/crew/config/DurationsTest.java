package io.mcpcrew.crew.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void formatsWholeSecondsAndMilliseconds() {
        assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("0s", Durations.format(Duration.ZERO));
    }

    @Test
    void formatsDurationsWhoseMillisecondsOverflowALong() {
        assertEquals("10000000000000000s", Durations.format(Duration.ofSeconds(10_000_000_000_000_000L)));
        assertEquals(Long.MAX_VALUE + "s", Durations.format(Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(Long.MIN_VALUE + "s", Durations.format(Duration.ofSeconds(Long.MIN_VALUE)));
        assertEquals("9223372036854775807999ms", Durations.format(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
        assertEquals("-1500ms", Durations.format(Duration.ofMillis(-1500)));
    }
}
