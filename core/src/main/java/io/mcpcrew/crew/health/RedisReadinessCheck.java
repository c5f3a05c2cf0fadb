package io.mcpcrew.crew.health;

import io.mcpcrew.crew.metrics.MemoryStatus;
import io.mcpcrew.crew.redis.PingResult;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.resilience.BreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: UP when Redis answers PING. Data: latency, server version, mode, target, breaker state, Redis memory
 * (used, max, eviction policy) and the memory warnings ({@link MemoryStatus}). DOWN while
 * Redis is unreachable (the application keeps serving from its fallback, but a load balancer should prefer
 * healthy nodes); back to UP on its own once Redis answers. Lives in core so WildFly finds it in the EAR's lib/.
 */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {
    @Inject
    RedisManager redis;

    @Override
    public HealthCheckResponse call() {
        PingResult ping = redis.ping();
        BreakerState breaker = redis.breakerState();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("redis")
                .status(ping.reachable())
                .withData("mode", redis.config().mode().name().toLowerCase(Locale.ROOT))
                .withData("target", redis.config().target())
                .withData("latencyMicros", ping.latency().toNanos() / 1000)
                .withData("breaker", breaker.state().name())
                .withData("breakerSince", breaker.since().toString())
                .withData("fallbackActive", redis.useFallback());
        redis.serverVersion().ifPresent(v -> b.withData("serverVersion", v));
        if (ping.reachable()) {
            memory(b, redis.metrics().memory());
        }
        ping.error().ifPresent(e -> b.withData("error", e));
        breaker.lastError().ifPresent(e -> b.withData("lastError", e));
        return b.build();
    }

    /**
     * Redis memory (read at most once per {@code redis.crew.metrics.redis-read-interval}): used and max bytes and the
     * eviction policy of the master closest to its limit (the one server outside a Cluster), and the warnings.
     * Warnings do not make the check DOWN: the application still works, the operator must act.
     */
    static void memory(HealthCheckResponseBuilder b, MemoryStatus m) {
        m.fullest().ifPresent(n -> {
            b.withData("usedMemoryBytes", n.used()).withData("maxMemoryBytes", n.max())
                    .withData("maxMemoryPolicy", n.policy());
            if (n.max() > 0) {
                b.withData("usedMemoryPercent", Math.round(n.share() * 100));
            }
            if (m.nodes().size() > 1) {
                b.withData("memoryNode", n.node());
            }
        });
        if (!m.warnings().isEmpty()) {
            b.withData("memoryWarning", String.join(" | ", m.warnings()));
        }
    }
}
