package io.mcpcrew.crew.health;

import io.mcpcrew.crew.metrics.MemoryStatus;
import io.mcpcrew.crew.redis.PingResult;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.resilience.BreakerState;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: UP when Redis answers PING, answered within {@link #ANSWER_BOUND} whatever the client is doing (a
 * Cluster client retrying a dead master can take several seconds): the PING and the memory read run on a thread of
 * their own ({@link BoundedRead}), and a check that outlasts the bound answers DOWN, saying so. Data: latency, server
 * version, mode, target, breaker state, Redis memory (used, max, eviction policy) and the memory warnings
 * ({@link MemoryStatus}). DOWN while Redis is unreachable (the application keeps serving from its fallback, but a load
 * balancer should prefer healthy nodes); back to UP on its own once Redis answers. Lives in core so WildFly finds it
 * in the EAR's lib/.
 */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {
    /** The longest a readiness check waits for Redis before it answers DOWN. */
    public static final Duration ANSWER_BOUND = Duration.ofSeconds(2);

    @Inject
    RedisManager redis;

    private BoundedRead<Observation> reads;

    /** What one check read from Redis. */
    private record Observation(PingResult ping, MemoryStatus memory) {
    }

    /** A check's outcome: UP or DOWN and its data, in the order the response lists them. */
    record Report(boolean up, Map<String, Object> data) {
    }

    /** Creates the check as the application starts, so its thread is made with the application's context. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // the container created this bean (and its thread) to deliver the event
    }

    @PostConstruct
    void start() {
        reads = new BoundedRead<>(() -> {
            PingResult ping = redis.ping();
            return new Observation(ping, ping.reachable() ? redis.metrics().memory() : null);
        }, ANSWER_BOUND);
    }

    @PreDestroy
    void stop() {
        reads.close();
    }

    @Override
    public HealthCheckResponse call() {
        Report r = report();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("redis").status(r.up());
        r.data().forEach((k, v) -> {
            if (v instanceof Long l) {
                b.withData(k, l);
            } else if (v instanceof Boolean f) {
                b.withData(k, f);
            } else {
                b.withData(k, String.valueOf(v));
            }
        });
        return b.build();
    }

    /** Reads Redis (at most {@link #ANSWER_BOUND}) and the breaker. */
    Report report() {
        Observation o = reads.get().orElse(null);
        PingResult ping = o != null ? o.ping() : PingResult.unanswered(ANSWER_BOUND, "Redis did not answer within "
                + ANSWER_BOUND.toMillis() + " ms (the check goes on in the background)");
        BreakerState breaker = redis.breakerState();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mode", redis.config().mode().name().toLowerCase(Locale.ROOT));
        d.put("target", redis.config().target());
        d.put("latencyMicros", ping.latency().toNanos() / 1000);
        d.put("breaker", breaker.state().name());
        d.put("breakerSince", breaker.since().toString());
        d.put("fallbackActive", redis.useFallback());
        redis.serverVersion().ifPresent(v -> d.put("serverVersion", v));
        if (o != null && o.memory() != null) {
            memory(d, o.memory());
        }
        ping.error().ifPresent(e -> d.put("error", e));
        breaker.lastError().ifPresent(e -> d.put("lastError", e));
        return new Report(ping.reachable(), d);
    }

    /**
     * Redis memory (read at most once per {@code redis.crew.metrics.redis-read-interval}): used and max bytes and the
     * eviction policy of the master closest to its limit (the one server outside a Cluster), and the warnings.
     * Warnings do not make the check DOWN: the application still works, the operator must act.
     */
    static void memory(Map<String, Object> d, MemoryStatus m) {
        m.fullest().ifPresent(n -> {
            d.put("usedMemoryBytes", n.used());
            d.put("maxMemoryBytes", n.max());
            d.put("maxMemoryPolicy", n.policy());
            if (n.max() > 0) {
                d.put("usedMemoryPercent", Math.round(n.share() * 100));
            }
            if (m.nodes().size() > 1) {
                d.put("memoryNode", n.node());
            }
        });
        if (!m.warnings().isEmpty()) {
            d.put("memoryWarning", String.join(" | ", m.warnings()));
        }
    }
}
