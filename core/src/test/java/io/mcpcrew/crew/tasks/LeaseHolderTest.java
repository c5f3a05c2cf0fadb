package io.mcpcrew.crew.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeaseHolderTest {

    @Test
    void theHolderIsTheHostAndProcessAndLeadsEveryLeaseToken() {
        assertEquals("worker-3-example-com-4242", LeaseHolder.of("worker-3.example.com", 4242));
        assertEquals("node_x-1", LeaseHolder.of("_x", 1));
        assertEquals("node-7", LeaseHolder.of(null, 7));
        assertEquals("a".repeat(40) + "-9", LeaseHolder.of("a".repeat(90), 9));
        assertTrue(LeaseHolder.ID.endsWith("-" + ProcessHandle.current().pid()), LeaseHolder.ID);
        assertTrue(LeaseHolder.ID.matches("[A-Za-z0-9][A-Za-z0-9_-]*"), LeaseHolder.ID);

        assertEquals("host-12", LeaseHolder.fromToken("host-12.0a1b2c3d4e5f.3"));
        assertNull(LeaseHolder.fromToken("0a1b2c3d4e5f.3")); // the form before holders: no holder
        assertNull(LeaseHolder.fromToken("python-worker-token"));
        assertNull(LeaseHolder.fromToken(".a.b"));
        assertNull(LeaseHolder.fromToken("a..b"));
        assertNull(LeaseHolder.fromToken("a.b."));
        assertNull(LeaseHolder.fromToken(null));
    }
}
