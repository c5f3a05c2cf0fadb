package io.mcpcrew.crew.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodyGuardTest {

    private static int depth(String json) {
        return RequestBodyGuard.jsonDepth(json.getBytes(StandardCharsets.UTF_8), 100);
    }

    @Test
    void countsNestingOutsideStrings() {
        assertEquals(0, depth("42"));
        assertEquals(1, depth("{\"a\":1}"));
        assertEquals(3, depth("{\"a\":[{\"b\":2}]}"));
        assertEquals(1, depth("{\"a\":\"[[[{{{\"}"));
        assertEquals(1, depth("{\"a\":\"\\\"[[[\"}"));
    }

    @Test
    void stopsEarlyPastTheLimit() {
        String deep = "[".repeat(100_000);
        assertEquals(33, RequestBodyGuard.jsonDepth(deep.getBytes(StandardCharsets.US_ASCII), 32));
    }
}
