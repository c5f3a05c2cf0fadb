/**
 * Tenant isolation: {@link io.mcpcrew.crew.tenancy.TenantKeys} builds every key of a tenant (with the hash tags
 * that keep one script's keys in one Cluster slot), and {@link io.mcpcrew.crew.tenancy.TenantRedis}, a tenant's view
 * of the manager, refuses a script key outside the tenant's namespace. The registries the listing API reads are
 * written through {@link io.mcpcrew.crew.tenancy.NameRegistry}; {@link io.mcpcrew.crew.tenancy.TenantDirectory} lists
 * the tenants.
 */
package io.mcpcrew.crew.tenancy;
