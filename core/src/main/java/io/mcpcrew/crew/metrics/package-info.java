/**
 * Metrics and the watch on Redis memory: {@link io.mcpcrew.crew.metrics.CrewMetrics} (the Micrometer registry of one
 * {@link io.mcpcrew.crew.redis.RedisManager}, exposed in the Prometheus text formats), the cardinality policy
 * ({@link io.mcpcrew.crew.metrics.TenantPolicy}, {@link io.mcpcrew.crew.metrics.TenantMeters}: per-tenant series for
 * the most active tenants, the rest aggregated as {@code _other}), the gauges read from Redis once per interval with a
 * bounded number of round trips ({@link io.mcpcrew.crew.metrics.RedisReader}, {@link io.mcpcrew.crew.metrics.RedisReads},
 * {@link io.mcpcrew.crew.metrics.Rows}), and the Redis server's {@code INFO} with the memory warnings
 * ({@link io.mcpcrew.crew.metrics.RedisServerReader}, {@link io.mcpcrew.crew.metrics.MemoryStatus}). Every metric is
 * listed in {@code docs/observability.md}.
 */
package io.mcpcrew.crew.metrics;
