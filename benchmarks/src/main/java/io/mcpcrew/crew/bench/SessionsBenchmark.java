package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.sessions.RedisSessionManager;
import io.mcpcrew.crew.sessions.TenantSessions;
import io.mcpcrew.crew.testing.RedisServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * SessionManager get and update rates at 1 and 8 threads, beside raw Jedis HGETALL / HSET on hashes of the same
 * shape, in the same run on a private redis-server. Each figure is the median of {@code reps} runs; raw and
 * component runs alternate (every other rep in reverse order) so that drift in the machine's load hits both; each
 * row also gives the ratio paired by rep ({@link Bench#row(String, double[], double[])}). Also reports a get with
 * sliding expiry (one script per read) for reference.
 *
 * <p>{@code benchmarks/run.sh sessions [seconds-per-run] [reps]} (defaults 3 and 3).
 */
public final class SessionsBenchmark {
    private static final int SESSIONS = 1000;
    private static final String HSET_SCRIPT = "return redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])";

    private SessionsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration run = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 3);
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Duration warmup = Duration.ofSeconds(1);
        try (RedisServer server = Bench.startRedis(); JedisRedisManager redis = Bench.manager(server, 8);
                JedisRedisManager slidingRedis = slidingManager(server)) {
            TenantSessions sessions = new RedisSessionManager(redis).forTenant("bench");
            TenantSessions sliding = new RedisSessionManager(slidingRedis).forTenant("bench");
            UnifiedJedis jedis = Bench.raw(server);
            String hsetSha = jedis.scriptLoad(HSET_SCRIPT);
            String[] ids = new String[SESSIONS];
            String[] raw = new String[SESSIONS];
            for (int i = 0; i < SESSIONS; i++) {
                Map<String, Object> data = new HashMap<>();
                data.put("cart", i);
                data.put("theme", "dark");
                data.put("locale", "en-GB");
                data.put("roles", java.util.List.of("user", "beta"));
                data.put("counter", 0);
                ids[i] = sessions.createSession("user" + (i % 100), data, Duration.ofHours(1));
                String key = "crew:bench:sessions:{bench.user" + (i % 100) + "}:session:" + ids[i];
                raw[i] = "raw:" + i;
                jedis.hset(raw[i], jedis.hgetAll(key)); // the same fields and values, as a plain hash
                jedis.expire(raw[i], 3600);
            }
            System.out.printf("# %d sessions of 5 data fields; %d s per run after %d s warm-up, median of %d runs%n",
                    SESSIONS, run.getSeconds(), warmup.getSeconds(), reps);
            for (int threads : new int[] {1, 8}) {
                double[] rawGet = new double[reps];
                double[] get = new double[reps];
                double[] slidingGet = new double[reps];
                double[] rawSet = new double[reps];
                double[] update = new double[reps];
                double[] rawScript = new double[reps];
                int th = threads;
                List<double[]> results = List.of(rawGet, get, slidingGet, rawSet, rawScript, update);
                List<Bench.Op> ops = List.of(
                        (t, i) -> jedis.hgetAll(raw[idx(t, i)]),
                        (t, i) -> sessions.getSession(ids[idx(t, i)]).orElseThrow(),
                        (t, i) -> sliding.getSession(ids[idx(t, i)]).orElseThrow(),
                        (t, i) -> jedis.hset(raw[idx(t, i)], "d:counter", String.valueOf(i)),
                        (t, i) -> jedis.evalsha(hsetSha, List.of(raw[idx(t, i)]), List.of("d:counter", String.valueOf(i))),
                        (t, i) -> {
                            if (!sessions.updateSession(ids[idx(t, i)], Map.of("counter", i))) {
                                throw new IllegalStateException("session vanished");
                            }
                        });
                for (int r = 0; r < reps; r++) {
                    for (int k = 0; k < ops.size(); k++) {
                        int c = Bench.caseAt(r, k, ops.size());
                        boolean isUpdate = c == ops.size() - 1;
                        if (isUpdate) {
                            Bench.commandStats(server, "before update @" + th);
                        }
                        results.get(c)[r] = Bench.throughput(threads, warmup, run, ops.get(c));
                        if (isUpdate) {
                            Bench.commandStats(server, "updateSession @" + th);
                        }
                    }
                }
                System.out.printf("## %d thread(s)%n", threads);
                Bench.row("raw HGETALL", rawGet, rawGet);
                Bench.row("getSession (no sliding)", get, rawGet);
                Bench.row("getSession (sliding expiry: touch script)", slidingGet, rawGet);
                Bench.row("raw HSET one field", rawSet, rawSet);
                Bench.row("raw EVALSHA of a one-HSET script (floor of any script)", rawScript, rawSet);
                Bench.row("updateSession one field (merge script)", update, rawSet);
            }
        }
    }

    private static int idx(int thread, long i) {
        return (int) ((i * 7 + thread * 131) % SESSIONS);
    }

    private static JedisRedisManager slidingManager(RedisServer server) {
        return new JedisRedisManager(RedisCrewConfig.load(Bench.config(Map.of("redis.crew.host", server.host(),
                "redis.crew.port", String.valueOf(server.port()), "redis.crew.pool.max-total", "16",
                "redis.crew.pool.max-idle", "16", "redis.crew.sessions.sliding-expiry", "true"))), null);
    }
}
