package io.mcpcrew.crew.events;

import jakarta.enterprise.inject.spi.BeanManager;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Fires the events of a subscription as CDI events qualified {@link FromStream @FromStream(stream)} and
 * {@link OfType @OfType(type)}, through the BeanManager of the caller's module when JNDI has one (it sees the
 * application's observers), else the one injected into the event manager.
 */
final class CdiBridge {
    private final BeanManager beans;

    CdiBridge(BeanManager beans) {
        this.beans = beans;
    }

    /** Subscribes to {@code stream} of {@code t}: broadcast when {@code group} is null, else in that consumer group. */
    Subscription start(TenantEvents t, String stream, String group) {
        // the caller's module BeanManager (java:comp/BeanManager) sees the application's observers; the one injected
        // here belongs to this library's bean archive, which a server may not let see beans of the WAR or EJB jar
        BeanManager target = moduleBeanManager().orElse(beans);
        EventHandler fire = e -> target.getEvent().select(Event.class, new FromStream.Literal(stream),
                new OfType.Literal(e.type().name())).fire(e);
        return group == null ? t.subscribe(stream, fire) : t.subscribe(stream, group, fire);
    }

    private static Optional<BeanManager> moduleBeanManager() {
        try {
            return Optional.of(InitialContext.doLookup("java:comp/BeanManager"));
        } catch (NamingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
