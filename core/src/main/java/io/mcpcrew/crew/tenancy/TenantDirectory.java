package io.mcpcrew.crew.tenancy;

import io.mcpcrew.crew.paging.Page;

/**
 * The tenants of the application: every tenant id that wrote through a component (enqueued a task, published an
 * event, stored a vector, created a session, stored a rate-limit policy), from the registry
 * {@code <prefix>:_sys:catalog:tenants} the components write on first use ({@link NameRegistry}). Inject it
 * ({@code @Inject TenantDirectory tenants}) or build {@link RedisTenantDirectory} on a manager.
 */
public interface TenantDirectory {
    /** The most tenant ids one page holds. */
    int MAX_PAGE = 1000;

    /** Tenant ids in byte order, {@code limit} (1 to {@value #MAX_PAGE}) after {@code cursor} (null: the first page). */
    Page<String> tenants(String cursor, int limit);

    /** How many tenants the registry holds. */
    long count();
}
