package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.events.StreamInfo;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.validation.Names;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The stream resources MCP sessions subscribed ({@code resources/subscribe} of
 * {@code crew://tenants/{tenant}/streams/{stream}}, admitted by {@link McpGate}): once a second ({@link #tick}, on
 * the server's managed scheduler) each watched stream is asked for an entry after the last one seen (one
 * {@code XRANGE ... COUNT 1}), and when there is one every subscribed session holding a listening stream is sent
 * {@code notifications/resources/updated}. Events appended by any node or service are noticed, within about a
 * second. At most {@code redis.crew.mcp.max-subscriptions} streams are watched on a node; a subscription ends with
 * {@code resources/unsubscribe} or its session.
 */
final class StreamWatch {
    private static final Logger LOG = Logger.getLogger(StreamWatch.class.getName());
    static final String UPDATED = "notifications/resources/updated";

    private final EventManager events;
    private final McpStreamableServerTransportProvider transport;
    private final McpSessions sessions;
    private final McpSettings settings;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();

    StreamWatch(EventManager events, McpStreamableServerTransportProvider transport, McpSessions sessions,
            McpSettings settings) {
        this.events = events;
        this.transport = transport;
        this.sessions = sessions;
        this.settings = settings;
    }

    /** One watched stream. */
    private static final class Watched {
        final CrewResources.StreamUri uri;
        final Set<String> sessionIds = ConcurrentHashMap.newKeySet();
        volatile boolean known;
        volatile String lastId;

        Watched(CrewResources.StreamUri uri) {
            this.uri = uri;
        }
    }

    /** Why {@code caller} may not subscribe {@code uri}, or null when it may. */
    String refusal(Caller caller, String uri) {
        CrewResources.StreamUri u = CrewResources.stream(uri);
        if (u == null) {
            return "only stream resources (" + CrewResources.STREAM_TEMPLATE + ") can be subscribed, not "
                    + Names.quote(uri);
        }
        try {
            caller.tenantFor(u.tenant(), settings.tenantClaim(), settings.adminGroup());
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        if (!watched.containsKey(uri) && watched.size() >= settings.maxSubscriptions()) {
            return "this node watches its most streams (" + settings.maxSubscriptions()
                    + ", redis.crew.mcp.max-subscriptions)";
        }
        return null;
    }

    /** The session subscribed {@code uri} (admitted by {@link #refusal}). */
    void subscribed(String sessionId, String uri) {
        CrewResources.StreamUri u = CrewResources.stream(uri);
        if (u == null) {
            return;
        }
        Watched w = watched.computeIfAbsent(uri, k -> new Watched(u));
        w.sessionIds.add(sessionId);
        if (!w.known) {
            try {
                w.lastId = lastId(u);
                w.known = true;
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "stream " + uri + " not read yet", e); // the next tick reads it
            }
        }
    }

    void unsubscribed(String sessionId, String uri) {
        watched.computeIfPresent(uri, (k, w) -> {
            w.sessionIds.remove(sessionId);
            return w.sessionIds.isEmpty() ? null : w;
        });
    }

    void sessionClosed(String sessionId) {
        watched.values().forEach(w -> w.sessionIds.remove(sessionId));
        watched.values().removeIf(w -> w.sessionIds.isEmpty());
    }

    /** How many streams are watched. */
    int size() {
        return watched.size();
    }

    /** Reads each watched stream once and notifies the subscribers of those that grew. Never throws. */
    void tick() {
        for (Watched w : watched.values()) {
            try {
                if (!w.known) {
                    w.lastId = lastId(w.uri);
                    w.known = true;
                    continue;
                }
                TenantEvents t = events.forTenant(w.uri.tenant());
                List<Event> newer = t.replay(w.uri.stream(), w.lastId, 1);
                if (!newer.isEmpty()) {
                    String last = lastId(w.uri);
                    w.lastId = last != null ? last : newer.get(0).id();
                    notify(w);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "cannot read stream " + w.uri.uri() + " now", e);
            }
        }
    }

    private String lastId(CrewResources.StreamUri u) {
        return events.forTenant(u.tenant()).info(u.stream()).map(StreamInfo::lastId).orElse(null);
    }

    private void notify(Watched w) {
        McpSchema.ResourcesUpdatedNotification n = new McpSchema.ResourcesUpdatedNotification(w.uri.uri(), null);
        for (String id : w.sessionIds) {
            McpSessions.Session s = sessions.find(id);
            if (s != null && s.listening()) {
                transport.notifyClient(id, UPDATED, n).subscribe(null,
                        e -> LOG.log(Level.FINE, "session " + id + " not told of " + w.uri.uri(), e));
            }
        }
    }
}
