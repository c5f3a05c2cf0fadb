package io.mcpcrew.crew.metrics;

/** A scrape asked of metrics that are off ({@code redis.crew.metrics.enabled=false}). */
public final class MetricsDisabledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetricsDisabledException() {
        super("metrics are disabled (redis.crew.metrics.enabled=false)");
    }
}
