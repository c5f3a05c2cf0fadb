package io.mcpcrew.crew.metrics;

/** A scrape's answer: the exposition text and its content type (Prometheus text 0.0.4 or OpenMetrics 1.0.0). */
public record Scrape(String contentType, String body) {
}
