package io.mcpcrew.crew.ejb;

import io.mcpcrew.crew.redis.PingResult;
import io.mcpcrew.crew.redis.RedisManager;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

/** A stateless facade an enterprise application can call (local or remote-less EJB) to check the Redis layer. */
@Stateless
public class RedisFacade {
    @Inject
    RedisManager redis;

    /** PINGs Redis; true if it answered. */
    public boolean ping() {
        PingResult r = redis.ping();
        return r.reachable();
    }

    public String target() {
        return redis.config().target();
    }
}
