package io.mcpcrew.crew.web.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class McpSessionsTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> closed = new ArrayList<>();

    private McpSessions sessions(int max, int perTenant) {
        McpSettings s = new McpSettings(true, max, perTenant, 64, Duration.ofMinutes(5), Duration.ofSeconds(30), 1 << 20,
                256, 1 << 24, 32, "tenant", "crew-admin");
        McpSessions m = new McpSessions(s, now::get);
        m.onClosed(closed::add);
        return m;
    }

    private static Caller tenant(String t) {
        return new Caller("iss", "user-of-" + t, t, false);
    }

    @Test
    void sessionsAreCappedPerTenantAndInAllCountingAdmissionsNotYetCreated() throws Exception {
        McpSessions m = sessions(3, 2);
        McpSessions.Reservation a1 = m.reserve(tenant("a"));
        McpSessions.Reservation a2 = m.reserve(tenant("a")); // not created yet: still counted
        McpSessions.Refused perTenant = assertThrows(McpSessions.Refused.class, () -> m.reserve(tenant("a")));
        assertTrue(perTenant.getMessage().contains("tenant 'a' holds its most MCP sessions on this node (2,"
                + " redis.crew.mcp.max-sessions-per-tenant)"), perTenant.getMessage());
        a1.created("s1");
        a2.release();
        m.reserve(tenant("a")).created("s2");
        m.reserve(tenant("b")).created("s3");
        McpSessions.Refused total = assertThrows(McpSessions.Refused.class, () -> m.reserve(tenant("c")));
        assertTrue(total.getMessage().contains("(3, redis.crew.mcp.max-sessions)"), total.getMessage());
        m.closed("s3");
        assertEquals(List.of("s3"), closed);
        m.reserve(tenant("c")).created("s4");
        assertEquals(3, m.size());
        assertEquals("iss\nuser-of-a", m.find("s1").owner);
        assertNull(m.find("s3"));
    }

    @Test
    void aSessionIsForgottenOnlyWhenIdleForLongerThanTheSdkKeepsItWithNoOpenStream() throws Exception {
        McpSessions m = sessions(10, 10);
        m.reserve(tenant("a")).created("s1");
        m.reserve(tenant("a")).created("s2");
        McpSessions.Session streaming = m.find("s2");
        streaming.streamOpened(true);
        assertTrue(streaming.listening());
        long idle = Duration.ofMinutes(10).toNanos() + 5_000_000_000L; // two sweep intervals and the margin
        now.addAndGet(idle);
        m.expireIdle();
        assertNotNull(m.find("s1"), "not past two sweeps and the margin yet");
        now.addAndGet(1);
        m.expireIdle();
        assertNull(m.find("s1"));
        assertNotNull(m.find("s2"), "an open stream keeps its session");
        streaming.streamClosed(true);
        now.addAndGet(idle);
        m.expireIdle();
        assertNotNull(m.find("s2"), "the end of a stream counts as use");
        now.addAndGet(1);
        m.expireIdle();
        assertNull(m.find("s2"));
        assertEquals(List.of("s1", "s2"), closed);
    }

    @Test
    void aCallIsCancelledByItsSessionAndId() throws Exception {
        McpSessions m = sessions(10, 10);
        m.reserve(tenant("a")).created("s1");
        McpCall call = new McpCall(tenant("a"), "s1", "7", null);
        m.callStarted(call);
        m.cancel("s2", "7");
        m.cancel("s1", "8");
        assertTrue(!call.cancelled().isDone());
        m.cancel("s1", "7");
        assertTrue(call.cancelled().isDone());
        m.callEnded(call);
    }
}
