package io.mcpcrew.crew.health;

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
 * Readiness: UP when Redis answers PING. Data: latency, server version, mode, target, breaker state. DOWN while
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
        ping.error().ifPresent(e -> b.withData("error", e));
        breaker.lastError().ifPresent(e -> b.withData("lastError", e));
        return b.build();
    }
}
