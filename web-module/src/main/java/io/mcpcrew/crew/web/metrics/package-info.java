/**
 * The metrics scrape: {@code GET /api/v1/metrics} ({@link io.mcpcrew.crew.web.metrics.MetricsResource}), the
 * Prometheus or OpenMetrics text of every meter of the application's {@link io.mcpcrew.crew.redis.RedisManager}, for
 * tokens of the scrape group or the admin group ({@link io.mcpcrew.crew.web.metrics.ScrapeAccessFilter}).
 */
package io.mcpcrew.crew.web.metrics;
