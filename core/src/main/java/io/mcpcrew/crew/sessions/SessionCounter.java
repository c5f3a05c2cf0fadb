package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Counts a tenant's live sessions without reading them: the users registry names the users (by rank, from the first
 * whose visit-until time is not past, {@value #BATCH} per read), and one pipeline per batch counts each user's index
 * entries that expire after now. At most {@code maxUsers} users are visited.
 */
final class SessionCounter {
    /** Users per registry read and per pipeline of counts. */
    static final int BATCH = 500;

    private final RedisManager redis;

    SessionCounter(RedisManager redis) {
        this.redis = redis;
    }

    SessionCounts count(TenantRedis t, int maxUsers) {
        if (maxUsers < 1 || maxUsers > SessionManager.MAX_USERS_COUNTED) {
            throw new InvalidInputException("invalid maxUsers " + maxUsers + ": must be from 1 to "
                    + SessionManager.MAX_USERS_COUNTED);
        }
        String registry = SessionKeys.usersRegistry(t.keys());
        long now = System.currentTimeMillis();
        long[] head = redis.execute(j -> new long[] {j.zcount(registry, Double.NEGATIVE_INFINITY, now - 1),
            j.zcount(registry, now, Double.POSITIVE_INFINITY)});
        int roundTrips = 2;
        long users = head[1];
        long visited = 0;
        long active = 0;
        long sessions = 0;
        for (long rank = head[0]; visited < Math.min(users, maxUsers); rank += BATCH) {
            long from = rank;
            long to = rank + Math.min(BATCH, maxUsers - visited) - 1;
            List<String> batch = redis.execute(j -> j.zrange(registry, from, to));
            roundTrips++;
            if (batch.isEmpty()) {
                break;
            }
            List<Long> counts = t.execute(j -> {
                List<Response<Long>> rs = new ArrayList<>(batch.size());
                try (AbstractPipeline p = j.pipelined()) {
                    for (String user : batch) {
                        rs.add(p.zcount(SessionKeys.index(t.keys(), user), "(" + now, "+inf"));
                    }
                    p.sync();
                }
                List<Long> out = new ArrayList<>(rs.size());
                for (Response<Long> r : rs) {
                    out.add(r.get());
                }
                return out;
            });
            roundTrips++;
            for (long c : counts) {
                sessions += c;
                active += c > 0 ? 1 : 0;
            }
            visited += batch.size();
            if (batch.size() < to - from + 1) {
                break;
            }
        }
        boolean complete = visited >= users;
        long estimate = complete || visited == 0 ? sessions : Math.round((double) sessions * users / visited);
        return new SessionCounts(t.tenant(), users, visited, active, sessions, estimate, complete, roundTrips);
    }
}
