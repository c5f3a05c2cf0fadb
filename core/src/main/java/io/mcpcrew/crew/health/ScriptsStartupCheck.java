package io.mcpcrew.crew.health;

import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.RedisManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Startup;

/**
 * Startup: UP once the configuration is valid and the components' Lua scripts are read and registered (they are
 * loaded into Redis now if it is up, else on first use). Does not wait for Redis: a pod whose Redis is down
 * should report not-ready, not be restarted.
 */
@Startup
@ApplicationScoped
public class ScriptsStartupCheck implements HealthCheck {
    @Inject
    RedisManager redis;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("crew-scripts").up();
        int n = 0;
        for (LuaScript s : redis.scripts()) {
            b.withData(s.name(), s.sha1());
            n++;
        }
        return b.withData("scripts", n).build();
    }
}
