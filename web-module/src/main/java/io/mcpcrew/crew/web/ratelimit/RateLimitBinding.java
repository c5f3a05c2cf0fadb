package io.mcpcrew.crew.web.ratelimit;

import io.mcpcrew.crew.ratelimit.RateLimiter;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds the rate-limit filter to resource methods by what they are, not by hand: every method of an HTTP method
 * other than GET, HEAD and OPTIONS whose path has a {@code {tenant}} parameter is counted in the tenant's
 * {@value Budget#API_WRITES} budget ({@link Budget#WRITES}), and a method (or class) carrying {@link RateLimited} is
 * counted in that budget as well. A new write endpoint under {@code /tenants/{tenant}} is budgeted the moment it
 * exists; nothing to remember.
 */
@Provider
public class RateLimitBinding implements DynamicFeature {
    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Pattern TENANT = Pattern.compile("\\{\\s*tenant\\s*(:[^}]*)?}");

    @Inject
    RateLimiter limiter;

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        List<Budget> budgets = budgets(resourceInfo.getResourceClass(), resourceInfo.getResourceMethod());
        if (!budgets.isEmpty()) {
            context.register(new RateLimitFilter(budgets, this::limiter), Priorities.AUTHORIZATION + 100);
        }
    }

    private RateLimiter limiter() {
        return limiter != null ? limiter : jakarta.enterprise.inject.spi.CDI.current().select(RateLimiter.class).get();
    }

    /** The budgets a resource method is counted against, in the order they are charged; empty: none. */
    public static List<Budget> budgets(Class<?> resourceClass, Method method) {
        List<Budget> out = new ArrayList<>();
        if (isWrite(method) && TENANT.matcher(path(resourceClass, method)).find()) {
            out.add(Budget.WRITES);
        }
        RateLimited explicit = method.getAnnotation(RateLimited.class);
        if (explicit == null) {
            explicit = resourceClass.getAnnotation(RateLimited.class);
        }
        if (explicit != null && !out.contains(Budget.of(explicit))) {
            out.add(Budget.of(explicit));
        }
        return out;
    }

    /** True for every HTTP method but GET, HEAD and OPTIONS (an unknown method counts as a write). */
    public static boolean isWrite(Method method) {
        String http = httpMethod(method);
        return http != null && !READS.contains(http);
    }

    /** The method's HTTP method ({@code POST}, ...), or null for a sub-resource locator or a plain method. */
    public static String httpMethod(Method method) {
        for (Annotation a : method.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    /** The class's and the method's {@code @Path} templates joined. */
    public static String path(Class<?> resourceClass, Method method) {
        Path c = resourceClass.getAnnotation(Path.class);
        Path m = method.getAnnotation(Path.class);
        return (c == null ? "" : c.value()) + "/" + (m == null ? "" : m.value());
    }
}
