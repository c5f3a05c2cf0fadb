package io.mcpcrew.crew.events;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * CDI qualifier of bridged {@link Event}s: the {@link EventType} name, e.g.
 * {@code void on(@Observes @FromStream("orders") @OfType("task") Event e)}.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface OfType {
    /** The event type name ({@link EventType#name()}). */
    String value();

    /** The qualifier instance the bridge fires with. */
    final class Literal extends AnnotationLiteral<OfType> implements OfType {
        private static final long serialVersionUID = 1L;
        private final String value;

        public Literal(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }
}
