package io.mcpcrew.crew.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * One read of the gauges that need Redis ({@link CrewMetrics#refresh}): when, how long it took, the round trips and
 * commands it sent, and how many readers failed (Redis unavailable: their gauges keep the previous values).
 */
public record ScrapeReport(Instant at, Duration took, int roundTrips, long commands, int failures) {
}
