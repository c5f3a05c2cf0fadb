package io.mcpcrew.crew.web.mcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The MCP sessions of this node as {@link McpGate} sees them, beside the SDK's own map of them: who opened each
 * (a session answers only requests with a token of the same issuer and subject), when it was last used, how many
 * streams it holds open, and the calls being answered in it (to cancel them). It caps sessions, in all
 * ({@code redis.crew.mcp.max-sessions}) and per tenant ({@code redis.crew.mcp.max-sessions-per-tenant}), by
 * admitting each {@code initialize} through a {@link Reservation}.
 *
 * <p>The SDK closes a session that has no open stream and no request for between one and two sweep intervals
 * ({@code redis.crew.mcp.session-idle-timeout}); this registry forgets one idle for longer than twice that (it is
 * closed in the SDK by then), and at once when a {@code DELETE} closes it or the SDK answers 404 for it. So its count
 * is never below the SDK's: the caps hold.
 */
final class McpSessions {
    /** Margin past two sweep intervals before an idle session is taken for closed. */
    private static final long MARGIN_NANOS = 5_000_000_000L;

    private final McpSettings settings;
    private final LongSupplier clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, McpCall> calls = new ConcurrentHashMap<>();
    /** Admissions not yet created, by quota key. Guarded by this. */
    private final Map<String, Integer> reserved = new HashMap<>();
    private volatile Consumer<String> onClosed = id -> { };

    McpSessions(McpSettings settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.clock = nanoClock;
    }

    /** Called with the id of each session this registry forgets (closed, deleted, or idle). */
    void onClosed(Consumer<String> listener) {
        this.onClosed = listener;
    }

    /** One session of the SDK, as the gate knows it. */
    final class Session {
        final String id;
        final String owner;
        final String quotaKey;
        private volatile long lastUsed;
        private final AtomicInteger openStreams = new AtomicInteger();
        private final AtomicInteger listening = new AtomicInteger();

        Session(String id, Caller caller) {
            this.id = id;
            this.owner = caller.owner();
            this.quotaKey = caller.quotaKey();
            this.lastUsed = clock.getAsLong();
        }

        /** A request of this session arrived or a stream of it ended. */
        void used() {
            lastUsed = clock.getAsLong();
        }

        void streamOpened(boolean listeningStream) {
            openStreams.incrementAndGet();
            if (listeningStream) {
                listening.incrementAndGet();
            }
            used();
        }

        void streamClosed(boolean listeningStream) {
            openStreams.decrementAndGet();
            if (listeningStream) {
                listening.decrementAndGet();
            }
            used();
        }

        /** True while the client holds a {@code GET} stream of the session open (notifications reach it). */
        boolean listening() {
            return listening.get() > 0;
        }

        boolean idle(long now) {
            return openStreams.get() <= 0 && now - lastUsed > 2 * settings.sessionIdleTimeout().toNanos() + MARGIN_NANOS;
        }
    }

    /** An admitted {@code initialize}: {@link #created} with the id the SDK gave it, or {@link #release}. */
    final class Reservation {
        private final Caller caller;
        private boolean open = true;

        private Reservation(Caller caller) {
            this.caller = caller;
        }

        void created(String sessionId) {
            synchronized (McpSessions.this) {
                if (open) {
                    open = false;
                    unreserve(caller.quotaKey());
                    sessions.put(sessionId, new Session(sessionId, caller));
                }
            }
        }

        void release() {
            synchronized (McpSessions.this) {
                if (open) {
                    open = false;
                    unreserve(caller.quotaKey());
                }
            }
        }
    }

    /** A session refused: the caps are reached. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Admits a new session of {@code caller}, or refuses it when this node holds {@code max-sessions} sessions, or
     * the caller's tenant {@code max-sessions-per-tenant}.
     */
    Reservation reserve(Caller caller) throws Refused {
        expireIdle();
        synchronized (this) {
            int pending = reserved.values().stream().mapToInt(Integer::intValue).sum();
            if (sessions.size() + pending >= settings.maxSessions()) {
                throw new Refused("this node holds its most MCP sessions (" + settings.maxSessions()
                        + ", redis.crew.mcp.max-sessions); close unused sessions (DELETE) or retry later");
            }
            String key = caller.quotaKey();
            long mine = sessions.values().stream().filter(s -> s.quotaKey.equals(key)).count()
                    + reserved.getOrDefault(key, 0);
            if (mine >= settings.maxSessionsPerTenant()) {
                throw new Refused((caller.admin() ? "this admin token holds" : "tenant '" + caller.tenant() + "' holds")
                        + " its most MCP sessions on this node (" + settings.maxSessionsPerTenant()
                        + ", redis.crew.mcp.max-sessions-per-tenant); close unused sessions (DELETE) or retry later");
            }
            reserved.merge(key, 1, Integer::sum);
            return new Reservation(caller);
        }
    }

    private void unreserve(String key) {
        reserved.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** The session, or null when this registry does not know it. */
    Session find(String sessionId) {
        return sessionId == null ? null : sessions.get(sessionId);
    }

    /** Forgets a session the client deleted or the SDK does not know. */
    void closed(String sessionId) {
        if (sessions.remove(sessionId) != null) {
            forgotten(sessionId);
        }
    }

    /** Forgets the sessions idle for longer than the SDK keeps them. */
    void expireIdle() {
        long now = clock.getAsLong();
        List<String> gone = new ArrayList<>();
        sessions.values().removeIf(s -> {
            if (s.idle(now)) {
                gone.add(s.id);
                return true;
            }
            return false;
        });
        gone.forEach(this::forgotten);
    }

    private void forgotten(String sessionId) {
        calls.values().removeIf(c -> c.sessionId().equals(sessionId));
        onClosed.accept(sessionId);
    }

    /** How many sessions this node holds. */
    int size() {
        return sessions.size();
    }

    /** Registers a call being answered, to cancel it. */
    void callStarted(McpCall call) {
        calls.put(key(call.sessionId(), call.requestId()), call);
    }

    void callEnded(McpCall call) {
        calls.remove(key(call.sessionId(), call.requestId()), call);
    }

    /** Cancels the call {@code requestId} of the session, if it is being answered. */
    void cancel(String sessionId, String requestId) {
        McpCall c = calls.get(key(sessionId, requestId));
        if (c != null) {
            c.cancel();
        }
    }

    private static String key(String sessionId, String requestId) {
        return sessionId + "\n" + requestId;
    }
}
