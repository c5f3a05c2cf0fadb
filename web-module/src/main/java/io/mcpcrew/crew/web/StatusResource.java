package io.mcpcrew.crew.web;

import io.mcpcrew.crew.redis.PingResult;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.resilience.BreakerState;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code GET /api/v1/status}: the Redis layer at a glance (mode, target, server version, breaker, scripts). */
@Path("/v1/status")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    @Inject
    RedisManager redis;

    @GET
    public Map<String, Object> status() {
        PingResult ping = redis.ping();
        BreakerState b = redis.breakerState();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redisReachable", ping.reachable());
        m.put("latencyMicros", ping.latency().toNanos() / 1000);
        m.put("mode", redis.config().mode().name().toLowerCase(Locale.ROOT));
        m.put("target", redis.config().target());
        m.put("keyPrefix", redis.config().keyPrefix());
        m.put("serverVersion", redis.serverVersion().orElse(null));
        Map<String, Object> breaker = new LinkedHashMap<>();
        breaker.put("state", b.state().name());
        breaker.put("since", b.since().toString());
        breaker.put("consecutiveFailures", b.consecutiveFailures());
        breaker.put("lastError", b.lastError().orElse(null));
        breaker.put("lastErrorAt", b.lastErrorAt().map(Object::toString).orElse(null));
        m.put("breaker", breaker);
        m.put("fallbackActive", redis.useFallback());
        m.put("scripts", redis.scripts().size());
        return m;
    }
}
