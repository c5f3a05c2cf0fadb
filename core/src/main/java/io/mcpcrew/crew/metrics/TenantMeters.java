package io.mcpcrew.crew.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The meters of one component per tenant and name (queue, stream, model, resource), under the {@link TenantPolicy}:
 * a selected tenant's first {@code maxNamesPerTenant} names have meters of their own ({@code tenant=<t>,
 * <name>=<n>}), its further names share {@code <name>="_other"}, and every tenant that is not selected shares
 * {@code tenant="_other",<name>="_other"}. Callers resolve a {@link Handle} once (per view, per cached key) and ask it
 * for the current meters on each operation: one volatile read and one increment of the tenant's activity, no map
 * lookup and no string work on the hot path. When the selection changes the handles are rebound; the meters of a
 * tenant that left it are removed from the registry.
 *
 * @param <M> the component's set of meters for one label pair (built by the {@link Factory}, which registers them)
 */
public final class TenantMeters<M> {
    /** Builds (and registers) the meters of one label pair; {@link TenantPolicy#OTHER} stands for the aggregate. */
    @FunctionalInterface
    public interface Factory<M> {
        M create(String tenant, String name);
    }

    private final TenantPolicy policy;
    private final int maxNames;
    private final Factory<M> factory;
    private final Consumer<M> remover;
    private final Map<String, PerTenant> tenants = new ConcurrentHashMap<>();
    private final Handle<M> untracked;
    private M other;

    /**
     * @param remover removes a set of meters from the registry (called for the meters of a tenant that leaves the
     *                selection)
     */
    TenantMeters(TenantPolicy policy, int maxNames, Factory<M> factory, Consumer<M> remover) {
        this.policy = policy;
        this.maxNames = maxNames;
        this.factory = factory;
        this.remover = remover;
        this.untracked = new Handle<>(this, policy.untracked(), TenantPolicy.OTHER, true);
        policy.onChange(this::rebind);
    }

    /** The meters of {@code tenant} and {@code name}, resolved once; both must be valid names (not checked here). */
    public Handle<M> handle(String tenant, String name) {
        PerTenant t = tenants.get(tenant);
        if (t == null) {
            if (tenants.size() >= TenantPolicy.MAX_TRACKED) {
                return untracked;
            }
            t = tenants.computeIfAbsent(tenant, k -> new PerTenant(policy.tenant(k)));
        }
        Handle<M> h = t.names.get(name);
        if (h != null) {
            return h;
        }
        synchronized (this) {
            h = t.names.get(name);
            if (h == null) {
                if (t.names.size() >= maxNames) {
                    h = t.overflow;
                } else {
                    h = new Handle<>(this, t.tenant, name, false);
                    t.names.put(name, h);
                }
            }
            return h;
        }
    }

    /** A handle's first operation: its tenant may be chosen now; the handle gets its meters. */
    private synchronized M firstUse(Handle<M> h) {
        if (h.current == null) {
            policy.claim(h.tenant);
            bind(h);
        }
        return h.current;
    }

    /** Points a handle at the meters its tenant's selection gives it (under this object's lock). */
    private synchronized void bind(Handle<M> h) {
        boolean own = h.tenant.selected && !h.shared;
        boolean tenantOther = h.tenant.selected && h.shared;
        if (own) {
            if (h.own == null) {
                h.own = factory.create(h.tenant.name, h.name);
            }
            h.current = h.own;
        } else if (tenantOther) {
            if (h.own == null) {
                h.own = factory.create(h.tenant.name, TenantPolicy.OTHER);
            }
            h.current = h.own;
        } else {
            if (h.own != null) {
                remover.accept(h.own);
                h.own = null;
            }
            h.current = other();
        }
    }

    private M other() {
        if (other == null) {
            other = factory.create(TenantPolicy.OTHER, TenantPolicy.OTHER);
        }
        return other;
    }

    /** After a change of the selection: every handle to its meters now. */
    private synchronized void rebind() {
        for (PerTenant t : tenants.values()) {
            List<Handle<M>> hs = new ArrayList<>(t.names.values());
            hs.add(t.overflow);
            for (Handle<M> h : hs) {
                if (h.current != null) {
                    bind(h);
                }
            }
        }
    }

    /**
     * The meters of one tenant and name: {@link #get()} on each operation. Bound to its meters on its first
     * operation (then its tenant may be chosen), rebound when the choice changes.
     */
    public static final class Handle<M> {
        private final TenantMeters<M> owner;
        private final TenantPolicy.Tenant tenant;
        private final String name;
        /** The tenant's {@code _other} name (its names past the cap), or the untracked tenants. */
        private final boolean shared;
        private M own;
        private volatile M current;

        Handle(TenantMeters<M> owner, TenantPolicy.Tenant tenant, String name, boolean shared) {
            this.owner = owner;
            this.tenant = tenant;
            this.name = name;
            this.shared = shared;
        }

        /** The meters to record an operation on now; counts the operation as activity of the tenant. */
        public M get() {
            tenant.activity.increment();
            M m = current;
            return m != null ? m : owner.firstUse(this);
        }
    }

    private final class PerTenant {
        final TenantPolicy.Tenant tenant;
        final Map<String, Handle<M>> names = new ConcurrentHashMap<>();
        final Handle<M> overflow;

        PerTenant(TenantPolicy.Tenant tenant) {
            this.tenant = tenant;
            this.overflow = new Handle<>(TenantMeters.this, tenant, TenantPolicy.OTHER, true);
        }
    }
}
