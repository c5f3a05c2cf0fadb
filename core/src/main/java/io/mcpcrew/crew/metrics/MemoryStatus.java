package io.mcpcrew.crew.metrics;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Redis memory as last read ({@code INFO}) and the warnings it raises: an eviction policy other than
 * {@code noeviction} while task queues or event streams live in this Redis, and used memory past
 * {@code redis.crew.memory.warn-share} of {@code maxmemory}. Read by the readiness check and the metrics.
 *
 * @param readAt   when it was read (null: never)
 * @param nodes    every node read (one in standalone and Sentinel mode)
 * @param warnings one sentence per warning, naming the node, what is at risk and what to set
 */
public record MemoryStatus(Instant readAt, List<Node> nodes, List<String> warnings) {
    public MemoryStatus {
        nodes = List.copyOf(nodes);
        warnings = List.copyOf(warnings);
    }

    /** Nothing read yet. */
    public static MemoryStatus unknown() {
        return new MemoryStatus(null, List.of(), List.of());
    }

    /**
     * One node's memory.
     *
     * @param used   {@code used_memory} in bytes
     * @param peak   {@code used_memory_peak}
     * @param max    {@code maxmemory} (0: no limit)
     * @param policy {@code maxmemory_policy}
     * @param role   {@code master} or {@code slave}
     */
    public record Node(String node, String role, long used, long peak, long max, String policy, double fragmentation) {
        /** used / max, or 0 without a limit. */
        public double share() {
            return max > 0 ? (double) used / max : 0;
        }

        public boolean master() {
            return !"slave".equals(role);
        }
    }

    /** The master closest to its limit (or, without limits, the one using the most): what readiness reports. */
    public Optional<Node> fullest() {
        return nodes.stream().filter(Node::master)
                .max(Comparator.comparingDouble(Node::share).thenComparingLong(Node::used));
    }
}
