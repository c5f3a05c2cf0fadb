package io.mcpcrew.crew.tenancy;

import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.validation.Names;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@link TenantDirectory} on the registry {@code <prefix>:_sys:catalog:tenants}: one {@code ZRANGE BYLEX} per page. */
@ApplicationScoped
public class RedisTenantDirectory implements TenantDirectory {
    private NameRegistry registry;
    private String key;

    /** For the CDI proxy. */
    protected RedisTenantDirectory() {
    }

    @Inject
    public RedisTenantDirectory(RedisManager redis) {
        this.registry = new NameRegistry(redis);
        this.key = NameRegistry.tenantsKey(redis.config().keyPrefix());
    }

    @Override
    public Page<String> tenants(String cursor, int limit) {
        return registry.page(key, "tenants", cursor, limit, MAX_PAGE, Names::tenant);
    }

    @Override
    public long count() {
        return registry.count(key);
    }
}
