package io.mcpcrew.crew.ejb.sessions;

import io.mcpcrew.crew.redis.RedisCrewException;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.sessions.SessionManager;
import io.mcpcrew.crew.sessions.SessionSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@link SessionManager#cleanupAllTenants()} every {@code redis.crew.sessions.cleanup.interval} (default 5
 * minutes; off with {@code redis.crew.sessions.cleanup.enabled=false}) on a non-persistent interval timer. Every
 * node runs the timer; a per-tenant Redis lock ({@code <prefix>:<tenant>:lock:sessions-cleanup}) makes sure each
 * tenant is cleaned by one node at a time. Skipped while Redis is unavailable.
 */
@Singleton
@Startup
public class SessionCleanupTimer {
    private static final Logger LOG = Logger.getLogger(SessionCleanupTimer.class.getName());

    @Inject
    SessionManager sessions;

    @Inject
    RedisManager redis;

    @Resource
    TimerService timers;

    @PostConstruct
    void schedule() {
        SessionSettings settings = SessionSettings.from(redis.config());
        if (!settings.cleanupEnabled()) {
            LOG.info("session index cleanup is disabled (redis.crew.sessions.cleanup.enabled=false)");
            return;
        }
        long every = settings.cleanupInterval().toMillis();
        timers.createIntervalTimer(every, every, new TimerConfig("crew-sessions-cleanup", false));
        LOG.info(() -> "session index cleanup runs every " + settings.cleanupInterval());
    }

    @Timeout
    void cleanup() {
        if (redis.useFallback()) {
            return;
        }
        try {
            int removed = sessions.cleanupAllTenants();
            LOG.fine(() -> "session cleanup removed " + removed + " stale index entries");
        } catch (RedisCrewException e) {
            LOG.log(Level.WARNING, "session cleanup failed (retried at the next interval): {0}", e.getMessage());
        }
    }
}
