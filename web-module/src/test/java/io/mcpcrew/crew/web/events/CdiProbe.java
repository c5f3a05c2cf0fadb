package io.mcpcrew.crew.web.events;

import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.FromStream;
import io.mcpcrew.crew.events.OfType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test-deployment bean: observes bridged events with the qualifiers an application would use, no Redis code. */
@ApplicationScoped
public class CdiProbe {
    private final List<String> fromStream = new CopyOnWriteArrayList<>();
    private final List<String> agentsOnly = new CopyOnWriteArrayList<>();

    // accessed through methods: a field read on the client proxy would see the proxy's own (empty) fields
    public List<String> fromStream() {
        return List.copyOf(fromStream);
    }

    public List<String> agentsOnly() {
        return List.copyOf(agentsOnly);
    }

    void onEvent(@Observes @FromStream("cdi-probe") Event e) {
        fromStream.add(e.id() + " " + e.type().name() + " " + e.tenant());
    }

    void onAgentEvent(@Observes @FromStream("cdi-probe") @OfType("agent") Event e) {
        agentsOnly.add(e.id());
    }
}
