package io.mcpcrew.crew.memory;

import java.time.Instant;
import java.util.List;

/**
 * An estimate of the memory keys hold, per component, per tenant and per tenant's component
 * ({@link MemoryEstimator#estimate}). Bytes are what {@code MEMORY USAGE} reports (the key, its value and Redis'
 * per-key overhead; not the allocator's fragmentation, nor client buffers, replication backlog or scripts, which
 * {@code INFO memory}'s {@code used_memory} also counts).
 *
 * <p>How a share is estimated: the SCAN counts the keys of each (tenant, component) exactly, or, when it covered only
 * part of a master's keyspace, extrapolates them by that master's {@code DBSIZE / keys scanned}. Within each component
 * a uniform random sample of its scanned keys is measured (the sample budget split evenly over the components,
 * reservoir sampling); a (tenant, component) share is its keys times the mean size of its own sampled keys, or of the
 * component's when none of its keys was sampled ({@link Share#samples()} 0). The standard error is that of the mean
 * size scaled by the keys ({@code keys × s / √n × √(1 − n/keys)}, s the standard deviation of the sizes sampled in the
 * share, or in its component when it has fewer than two), summed in quadrature for totals; about two standard errors
 * either side hold the true value 95% of the time. It does not include the error of extrapolated key counts
 * ({@link Scan#coverage()} below 1).
 *
 * @param at            when the estimate finished
 * @param tenant        the tenant it is limited to, or null for every tenant
 * @param scan          what the SCAN covered
 * @param sampling      what was measured
 * @param cost          what the estimate cost
 * @param total         every key counted
 * @param components    per component over every tenant (system keys under {@code _sys/<component>}, keys outside the
 *                      layout under {@code _outside}), largest first
 * @param tenants       the largest tenants, largest first, each with its components
 * @param otherTenants  the tenants not listed, summed ({@code name} is the number of them)
 * @param system        the cross-tenant registries ({@code <prefix>:_sys:...}), by component
 * @param outside       keys outside the key prefix or its layout (other applications' keys in the same Redis)
 * @param nodes         per master: its keyspace, the walk, and {@code INFO memory}
 */
public record MemoryEstimate(Instant at, String tenant, Scan scan, Sampling sampling, Cost cost, Share total,
        List<Share> components, List<TenantShare> tenants, Share otherTenants, TenantShare system, Share outside,
        List<NodeMemory> nodes) {

    public MemoryEstimate {
        components = List.copyOf(components);
        tenants = List.copyOf(tenants);
        nodes = List.copyOf(nodes);
    }

    /**
     * One share of the memory.
     *
     * @param name          the component, tenant, or what the share sums
     * @param keys          keys (extrapolated when the scan was partial)
     * @param bytes         estimated bytes
     * @param standardError the standard error of {@code bytes}
     * @param samples       keys of this share measured with {@code MEMORY USAGE}
     */
    public record Share(String name, long keys, long bytes, long standardError, long samples) {
    }

    /** One tenant's share and its components, largest first. */
    public record TenantShare(String tenant, long keys, long bytes, long standardError, long samples,
            List<Share> components) {
        public TenantShare {
            components = List.copyOf(components);
        }
    }

    /**
     * What the SCAN covered.
     *
     * @param complete    every master's keyspace walked to its end
     * @param coverage    keys scanned / keys in every master (1 when complete)
     * @param keysScanned keys SCAN returned
     * @param dbSize      keys in every master ({@code DBSIZE} before the walk)
     * @param scanCalls   SCAN calls made
     * @param maxScanCalls the budget of SCAN calls
     * @param count       the COUNT of each call
     */
    public record Scan(boolean complete, double coverage, long keysScanned, long dbSize, int scanCalls,
            int maxScanCalls, int count) {
    }

    /**
     * What was measured.
     *
     * @param samples      keys measured with {@code MEMORY USAGE}
     * @param maxSamples   the budget of measured keys
     * @param vanished     sampled keys gone before they were measured (expired or removed; left out)
     * @param usageSamples the {@code SAMPLES} argument of each {@code MEMORY USAGE}
     */
    public record Sampling(long samples, int maxSamples, long vanished, int usageSamples) {
    }

    /**
     * What the estimate cost.
     *
     * @param roundTrips round trips to Redis: {@code CLUSTER NODES} on a Cluster (twice), per master {@code DBSIZE},
     *                   {@code INFO memory} and one pipeline per 1000 measured keys, and the SCAN calls
     * @param millis     how long it took
     */
    public record Cost(int roundTrips, long millis) {
    }

    /**
     * One master.
     *
     * @param node              {@code host:port}
     * @param dbSize            its keys
     * @param keysScanned       keys its walk returned
     * @param scanCalls         SCAN calls on it
     * @param complete          its walk reached the end
     * @param usedMemory        {@code INFO memory} {@code used_memory}
     * @param usedMemoryDataset {@code used_memory_dataset}: used memory less Redis' own overhead
     */
    public record NodeMemory(String node, long dbSize, long keysScanned, int scanCalls, boolean complete,
            long usedMemory, long usedMemoryDataset) {
    }
}
