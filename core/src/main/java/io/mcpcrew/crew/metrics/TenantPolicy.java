package io.mcpcrew.crew.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cardinality policy of the per-node meters: which tenants have series of their own. Every operation a component
 * meters counts as activity of its tenant. The first {@code maxTenants} tenants with an operation are selected at
 * once; every
 * {@code redis.crew.metrics.tenant-reselect-interval} (checked when metrics are scraped) the selection becomes the
 * {@code maxTenants} tenants with the most activity since the last choice (ties keep the tenants already selected).
 * The meters of a tenant that is not selected go to the aggregate series {@code tenant="_other"}; those of a tenant
 * that leaves the selection are removed from the registry (their series end) and its later counts go to
 * {@code _other}. At most {@value #MAX_TRACKED} tenants are tracked; further ones are {@code _other} for the node's
 * life. {@code _other} can never be a tenant id (ids start with a letter or digit).
 */
public final class TenantPolicy {
    /** The label value of the aggregate series, for tenants and names. */
    public static final String OTHER = "_other";
    /** Tenants tracked at most (their activity counters). */
    static final int MAX_TRACKED = 100_000;

    private final int maxTenants;
    private final long reselectNanos;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Tenant untracked = new Tenant(OTHER);
    private int selectedCount;
    private long lastChoice;

    TenantPolicy(int maxTenants, java.time.Duration reselectInterval, long nowNanos) {
        this.maxTenants = maxTenants;
        this.reselectNanos = reselectInterval.toNanos();
        this.lastChoice = nowNanos;
    }

    /** One tenant's activity and whether it has series of its own now. */
    public static final class Tenant {
        final String name;
        final LongAdder activity = new LongAdder();
        volatile boolean selected;
        /** Had an operation ({@link #claim}): from then on only reselection changes its choice. */
        boolean claimed;

        Tenant(String name) {
            this.name = name;
        }

        public boolean selected() {
            return selected;
        }
    }

    /** The tenant's entry (created on first sight; chosen by {@link #claim} on its first operation). */
    Tenant tenant(String name) {
        Tenant t = tenants.get(name);
        if (t != null) {
            return t;
        }
        if (tenants.size() >= MAX_TRACKED) {
            return untracked;
        }
        synchronized (this) {
            t = tenants.get(name);
            if (t == null) {
                t = new Tenant(name);
                tenants.put(name, t);
            }
            return t;
        }
    }

    /**
     * Called on a tenant's first recorded operation (under the caller's lock): chooses it while fewer than
     * {@code maxTenants} are chosen. A tenant seen but never active (a worker's view of a queue it found in the
     * registry) takes no place.
     */
    synchronized void claim(Tenant t) {
        if (!t.claimed && t != untracked) {
            t.claimed = true;
            if (!t.selected && selectedCount < maxTenants) {
                t.selected = true;
                selectedCount++;
            }
        }
    }

    /** The entry of the tenants past {@link #MAX_TRACKED}: never selected. */
    Tenant untracked() {
        return untracked;
    }

    /** Runs {@code listener} after each change of the selection (the meters rebind then). */
    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Chooses again if the interval has passed since the last choice; true if the selection changed. */
    boolean maybeReselect(long nowNanos) {
        synchronized (this) {
            if (nowNanos - lastChoice < reselectNanos) {
                return false;
            }
        }
        return reselect(nowNanos);
    }

    /** Chooses the most active tenants now (activity since the last choice); true if the selection changed. */
    boolean reselect(long nowNanos) {
        boolean changed = false;
        synchronized (this) {
            lastChoice = nowNanos;
            List<Tenant> all = new ArrayList<>(tenants.values());
            Map<Tenant, Long> scores = new java.util.IdentityHashMap<>();
            for (Tenant t : all) {
                scores.put(t, t.activity.sumThenReset());
            }
            all.sort(Comparator.<Tenant>comparingLong(scores::get).reversed()
                    .thenComparing(t -> !t.selected).thenComparing(t -> t.name));
            int n = 0;
            for (Tenant t : all) {
                boolean pick = n < maxTenants && (scores.get(t) > 0 || t.selected);
                if (pick) {
                    n++;
                }
                if (t.selected != pick) {
                    t.selected = pick;
                    changed = true;
                }
            }
            selectedCount = n;
        }
        if (changed) {
            listeners.forEach(Runnable::run);
        }
        return changed;
    }

    /** The tenants with series of their own now, sorted. */
    public synchronized List<String> selected() {
        List<String> out = new ArrayList<>();
        tenants.values().stream().filter(t -> t.selected).forEach(t -> out.add(t.name));
        out.sort(null);
        return out;
    }

    public int maxTenants() {
        return maxTenants;
    }
}
