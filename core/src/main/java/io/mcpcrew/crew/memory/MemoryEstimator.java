package io.mcpcrew.crew.memory;

/**
 * Estimates the Redis memory of each tenant and component by sampling keys: inject it
 * ({@code @Inject MemoryEstimator memory}) or build {@link RedisMemoryEstimator} on a manager. An estimate reads only:
 * a bounded SCAN of every master, {@code MEMORY USAGE} of a sample of the keys, {@code INFO memory} and
 * {@code DBSIZE} per master. Its result states what it cost and how precise it is.
 */
public interface MemoryEstimator {

    /** An estimate within the bounds of {@code request}. */
    MemoryEstimate estimate(EstimateRequest request);
}
