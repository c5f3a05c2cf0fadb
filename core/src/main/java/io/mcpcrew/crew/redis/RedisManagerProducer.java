package io.mcpcrew.crew.redis;

import io.mcpcrew.crew.concurrency.CrewThreads;
import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.RedisCrewConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * CDI wiring: produces the application's one {@link RedisManager} from MicroProfile Config, with the server's
 * default managed scheduled executor ({@link CrewThreads#managedScheduler()}) for its recovery probe and connection
 * pool upkeep, and closes it on shutdown. The configuration is validated when the application starts (not on first
 * use), so a bad {@code REDIS_CREW_*} value fails the deployment with a message naming the variable.
 */
@ApplicationScoped
public class RedisManagerProducer {
    private static final Logger LOG = Logger.getLogger(RedisManagerProducer.class.getName());

    @Produces
    @ApplicationScoped
    public RedisManager redisManager() {
        Config mp = ConfigProvider.getConfig();
        RedisCrewConfig config = RedisCrewConfig.load(new ConfigSource(k -> mp.getOptionalValue(k, String.class)));
        JedisRedisManager manager = new JedisRedisManager(config, CrewThreads.managedScheduler().orElse(null));
        LOG.info(() -> "Crew Redis: " + config.mode().name().toLowerCase(java.util.Locale.ROOT) + " Redis at "
                + config.target() + ", key prefix '" + config.keyPrefix() + "'");
        return manager;
    }

    public void close(@Disposes RedisManager manager) {
        if (manager instanceof AutoCloseable) {
            try {
                ((AutoCloseable) manager).close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing RedisManager", e);
            }
        }
    }

    /** Creates the manager (and so validates the configuration) as the application starts. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event, RedisManager redis) {
        redis.config();
    }
}
