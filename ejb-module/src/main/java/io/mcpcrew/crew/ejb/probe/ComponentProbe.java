package io.mcpcrew.crew.ejb.probe;

import io.mcpcrew.crew.embeddings.EmbeddingCache;
import io.mcpcrew.crew.embeddings.ModelEmbeddingCache;
import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.Subscription;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.ratelimit.RateLimiter;
import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.redis.PingResult;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.sessions.SessionManager;
import io.mcpcrew.crew.sessions.TenantSessions;
import io.mcpcrew.crew.tasks.TaskInfo;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskQueues;
import io.mcpcrew.crew.tasks.TaskWorker;
import io.mcpcrew.crew.tenancy.TenantRedis;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManageableThread;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
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
    /** The queue, task name and stream of the {@code threads} component's own worker and subscription. */
    static final String THREADS = "probe-threads";
    /** How long the {@code threads} component waits for its task to run. */
    static final Duration THREADS_WAIT = Duration.ofSeconds(20);

    @Inject
    RedisManager redis;
    @Inject
    TaskQueues tasks;
    @Inject
    EventManager events;
    @Inject
    EmbeddingCache embeddings;
    @Inject
    SessionManager sessions;
    @Inject
    RateLimiter rateLimiter;

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
        run(reports, "taskQueue", this::taskQueue);
        run(reports, "eventManager", this::eventManager);
        run(reports, "embeddingCache", this::embeddingCache);
        run(reports, "sessionManager", this::sessionManager);
        run(reports, "rateLimiter", this::rateLimiter);
        run(reports, "threads", this::threads);

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

    /** TaskQueue: enqueue an {@code echo} task (the managed workers may run it) and read its state back. */
    Map<String, Object> taskQueue(TenantRedis tenant) {
        TaskQueue queue = tasks.forTenant(TENANT).queue(COMPONENT);
        String id = queue.enqueue("echo", "{\"probe\":true}", TaskPriority.LOW);
        Optional<TaskInfo> info = queue.get(id);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("state", info.map(i -> String.valueOf(i.state())).orElse(null));
        r.put("ok", info.isPresent());
        return r;
    }

    /** EventManager: publish one event and find it again by replay. */
    Map<String, Object> eventManager(TenantRedis tenant) {
        TenantEvents t = events.forTenant(TENANT);
        String id = t.publish(Event.of(EventType.SYSTEM, Map.of("probe", Instant.now().toString())), COMPONENT);
        boolean found = t.replay(COMPONENT, "0-0", 10_000).stream().anyMatch(e -> id.equals(e.id()));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("replayed", found);
        r.put("ok", found);
        return r;
    }

    /** EmbeddingCache: store a vector and read it back bit for bit. */
    Map<String, Object> embeddingCache(TenantRedis tenant) {
        ModelEmbeddingCache cache = embeddings.forTenant(TENANT).model(COMPONENT);
        float[] vector = {1.0f, -0.5f, 0.25f};
        cache.store("probe", vector);
        boolean same = cache.retrieve("probe").map(v -> Arrays.equals(v, vector)).orElse(false);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("roundTrip", same);
        r.put("ok", same);
        return r;
    }

    /** SessionManager: create a one-minute session, read it, delete it. */
    Map<String, Object> sessionManager(TenantRedis tenant) {
        TenantSessions t = sessions.forTenant(TENANT);
        String id = t.createSession(COMPONENT, Map.of("probe", "yes"), Duration.ofMinutes(1));
        boolean read = t.getSession(id).map(s -> "yes".equals(s.data().get("probe"))).orElse(false);
        boolean deleted = t.deleteSession(id);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("read", read);
        r.put("deleted", deleted);
        r.put("ok", read && deleted);
        return r;
    }

    /** RateLimiter: one check against a generous limit. */
    Map<String, Object> rateLimiter(TenantRedis tenant) {
        boolean allowed = rateLimiter.forTenant(TENANT).checkLimit(COMPONENT, 10_000, Duration.ofSeconds(1));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("allowed", allowed);
        r.put("ok", allowed);
        return r;
    }

    /**
     * Threads: does what an application's own code does — starts a worker of its own on the probe tenant's queue
     * {@value #THREADS} ({@code startWorker(handler, 1)}: a dispatcher and a handler pool of its own), subscribes
     * to stream {@value #THREADS}, and runs one task — then lists every {@code crew-} thread of the JVM (and any of
     * commons-pool, whose evictor must not run) with whether the server manages it
     * ({@code jakarta.enterprise.concurrent.ManageableThread}), and stops the worker and the subscription.
     * {@code ok} when the task ran and every thread listed is managed. Skipped ({@code ok} false) while Redis is
     * unreachable.
     */
    Map<String, Object> threads(TenantRedis tenant) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (!redis.ping().reachable()) {
            r.put("ok", false);
            r.put("error", "Redis is unreachable: no task can run");
            return r;
        }
        TaskQueue queue = tasks.forTenant(TENANT).queue(THREADS);
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        TaskWorker worker = queue.startWorker(task -> {
            ranOn.complete(Thread.currentThread().getName() + " managed="
                    + (Thread.currentThread() instanceof ManageableThread));
            return null;
        }, 1);
        Subscription subscription = null;
        try {
            subscription = events.forTenant(TENANT).subscribe(THREADS, e -> { });
            String id = queue.enqueue(THREADS, "{}", TaskPriority.NORMAL);
            String handledOn;
            try {
                handledOn = ranOn.get(THREADS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                handledOn = null;
            } catch (ExecutionException e) {
                handledOn = String.valueOf(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handledOn = null;
            }
            List<Map<String, Object>> threads = crewThreads();
            boolean allManaged = threads.stream().allMatch(t -> Boolean.TRUE.equals(t.get("managed")));
            r.put("task", id);
            r.put("state", queue.get(id).map(i -> String.valueOf(i.state())).orElse(null));
            r.put("handledOn", handledOn);
            r.put("threads", threads);
            r.put("ok", handledOn != null && !threads.isEmpty() && allManaged);
        } finally {
            if (subscription != null) {
                subscription.close();
            }
            worker.stop(Duration.ofSeconds(5));
        }
        return r;
    }

    /** Every live thread named {@code crew-...} or {@code commons-pool...}: name and whether the server manages it. */
    static List<Map<String, Object>> crewThreads() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet().stream()
                .filter(x -> x.isAlive() && (x.getName().startsWith("crew-") || x.getName().startsWith("commons-pool")))
                .sorted(Comparator.comparing(Thread::getName)).collect(Collectors.toList())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.getName());
            m.put("managed", t instanceof ManageableThread);
            out.add(m);
        }
        return out;
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
