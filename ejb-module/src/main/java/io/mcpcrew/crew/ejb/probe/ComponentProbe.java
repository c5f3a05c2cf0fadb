package io.mcpcrew.crew.ejb.probe;

import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.PingResult;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.redis.TenantRedis;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Exercises every component from inside an enterprise bean and reports what each one did, so a container test
 * (or an operator with curl) sees at once which component is not wired on a server.
 *
 * <p>The probe works in its own reserved tenant, {@value #TENANT}, and writes only short-lived keys
 * ({@link DataType#CACHE} TTL) there, under {@code <prefix>:crew-probe:}. Each component has one method here
 * taking that tenant's {@link TenantRedis} and returning its report (a JSON-friendly map with a boolean
 * {@code ok}), and one line in {@link #probe}. A component that throws is reported with {@code "ok": false} and
 * the error, never as an exception (an enterprise bean would wrap it), and the others are still probed.
 *
 * <p>To add a component: inject it, write {@code Map<String, Object> sessions(TenantRedis tenant)} that runs one
 * real round trip, add {@code run(reports, "sessions", this::sessions)} to {@link #probe}, and one test method in
 * the container suite ({@code EarContainerSuite}).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // Redis only: no JTA resources to enlist
public class ComponentProbe {
    /** The tenant id the probe works in: reserved, give no real tenant this id. */
    public static final String TENANT = "crew-probe";
    /** The component name under which the probe writes its own keys. */
    static final String COMPONENT = "probe";

    @Inject
    RedisManager redis;

    /**
     * Probes every component.
     *
     * @return {@code application} and {@code module} (where this bean runs, from {@code java:app/AppName} and
     *         {@code java:module/ModuleName}), {@code tenant}, {@code ok} (all components ok) and
     *         {@code components}: component name → its report, each with a boolean {@code ok}
     */
    public Map<String, Object> probe() {
        Map<String, Map<String, Object>> reports = new LinkedHashMap<>();
        run(reports, "redisManager", this::redisManager);
        // one line per component, e.g.: run(reports, "sessions", this::sessions);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("application", lookup("java:app/AppName"));
        out.put("module", lookup("java:module/ModuleName"));
        out.put("tenant", TENANT);
        out.put("ok", reports.values().stream().allMatch(r -> Boolean.TRUE.equals(r.get("ok"))));
        out.put("components", reports);
        return out;
    }

    /**
     * RedisManager: injected, configured (target and key prefix come from MicroProfile Config), and a real round
     * trip — a SET with the CACHE TTL and a GET of the same key through the circuit breaker.
     */
    Map<String, Object> redisManager(TenantRedis tenant) {
        Map<String, Object> r = new LinkedHashMap<>();
        PingResult ping = redis.ping();
        r.put("target", redis.config().target());
        r.put("keyPrefix", redis.config().keyPrefix());
        r.put("reachable", ping.reachable());
        String key = tenant.keys().key(COMPONENT, "round-trip");
        String value = Instant.now().toString();
        long ttlSeconds = tenant.ttl(DataType.CACHE).getSeconds();
        String read = tenant.execute(j -> {
            j.setex(key, ttlSeconds, value);
            return j.get(key);
        });
        r.put("key", key);
        r.put("roundTrip", value.equals(read));
        r.put("ok", ping.reachable() && value.equals(read));
        return r;
    }

    private void run(Map<String, Map<String, Object>> reports, String component,
            Function<TenantRedis, Map<String, Object>> check) {
        Map<String, Object> report;
        try {
            report = check.apply(redis.forTenant(TENANT));
        } catch (RuntimeException e) {
            report = new LinkedHashMap<>();
            report.put("ok", false);
            report.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        reports.put(component, report);
    }

    private static String lookup(String name) {
        try {
            return InitialContext.doLookup(name);
        } catch (NamingException e) {
            return null;
        }
    }
}
