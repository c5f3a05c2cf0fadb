package io.mcpcrew.crew.ejb;

import io.mcpcrew.crew.redis.PingResult;
import io.mcpcrew.crew.redis.RedisManager;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Starts the Redis layer with the application: creating the {@link RedisManager} validates the configuration
 * (a bad {@code REDIS_CREW_*} value fails the deployment), and one PING logs whether Redis is there. Workers and
 * timers of the components start from beans in this module.
 */
@Singleton
@Startup
public class RedisCrewBootstrap {
    private static final Logger LOG = Logger.getLogger(RedisCrewBootstrap.class.getName());

    @Inject
    RedisManager redis;

    @PostConstruct
    void start() {
        PingResult ping = redis.ping();
        LOG.info(() -> "Crew Redis started: Redis " + redis.config().target() + (ping.reachable()
                ? " answered PING in " + ping.latency().toNanos() / 1000 + " µs"
                : " is not reachable yet (" + ping.error().orElse("?") + "); serving from the local fallback"));
    }
}
