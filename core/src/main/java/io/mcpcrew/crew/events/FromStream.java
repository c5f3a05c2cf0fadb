package io.mcpcrew.crew.events;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * CDI qualifier of the {@link Event}s the CDI bridge fires: the stream they arrived on. Observe one stream with
 * {@code void on(@Observes @FromStream("orders") Event e)}, every bridged stream with {@code @Observes Event e};
 * combine with {@link OfType} to pick one event type. The tenant is {@link Event#tenant()}.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface FromStream {
    /** The stream name. */
    String value();

    /** The qualifier instance the bridge fires with. */
    final class Literal extends AnnotationLiteral<FromStream> implements FromStream {
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
