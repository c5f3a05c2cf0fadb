package io.mcpcrew.crew.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.InvalidNameException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every backend of {@link TenantSessions} must show: Redis standalone ({@link RedisSessionsIT}), Redis
 * Cluster ({@link ClusterSessionsIT}), Redis behind Sentinel ({@link SentinelSessionsIT}) and the in-memory fallback
 * while Redis is down ({@link FallbackSessionsIT}).
 */
abstract class SessionContract {
    /** Session config every test uses unless it adds its own. */
    static final Map<String, String> BASE = Map.of("redis.crew.sessions.ttl.ephemeral", "2m",
            "redis.crew.sessions.ttl.long-lived", "3d", "redis.crew.ttl.session", "20m",
            "redis.crew.sessions.max-data-bytes", "1000", "redis.crew.sessions.max-ttl", "10d");

    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A manager on the backend under test, with {@link #BASE} plus {@code extra} config. */
    abstract RedisSessionManager manager(Map<String, String> extra);

    /**
     * True for a backend that cannot know what it does not hold (the fallback while Redis is down): there an id it
     * never held, and any user's list, fail with {@link RedisUnavailableException} instead of answering "missing".
     */
    boolean unknownIsUnavailable() {
        return false;
    }

    /** {@code call} on an id this backend never held answers {@code missing}, or is unavailable (see above). */
    <T> void assertUnknown(T missing, java.util.function.Supplier<T> call) {
        if (unknownIsUnavailable()) {
            assertThrows(RedisUnavailableException.class, call::get);
        } else {
            assertEquals(missing, call.get());
        }
    }

    /** A user's sessions; null where listing is unavailable (asserted: it fails with RedisUnavailableException). */
    List<Session> listed(TenantSessions s, String userId) {
        if (unknownIsUnavailable()) {
            assertThrows(RedisUnavailableException.class, () -> s.listSessions(userId));
            return null;
        }
        return s.listSessions(userId);
    }

    /** The user has no sessions, or listing is unavailable (see {@link #listed}). */
    void assertNoneListed(TenantSessions s, String userId) {
        List<Session> l = listed(s, userId);
        if (l != null) {
            assertTrue(l.isEmpty(), l.toString());
        }
    }

    void closeLater(AutoCloseable c) {
        toClose.add(c);
    }

    /** A RedisManager with {@link #BASE}, the backend's {@code topology} settings and a test's {@code extra} ones. */
    JedisRedisManager redisManager(Map<String, String> topology, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(BASE);
        config.putAll(topology);
        config.putAll(extra);
        JedisRedisManager redis = new JedisRedisManager(RedisCrewConfig.load(config), null);
        closeLater(redis);
        return redis;
    }

    /** kim gets two sessions (5 and 10 minutes), lee one; returns their ids in that order. */
    static List<String> createForKimAndLee(TenantSessions s) {
        return List.of(s.createSession("kim", Map.of("n", 1), Duration.ofMinutes(5)),
                s.createSession("kim", Map.of("n", 2), Duration.ofMinutes(10)), s.createSession("lee", Map.of()));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
    }

    TenantSessions tenant(String id) {
        return manager(Map.of()).forTenant(id);
    }

    static String unique(String base) {
        return base + "-" + Long.toHexString(System.nanoTime());
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Test
    void createGetUpdateDelete() {
        TenantSessions s = tenant(unique("t"));
        Map<String, Object> data = new HashMap<>();
        data.put("cart", 3);
        data.put("name", "Zoë");
        data.put("prefs", Map.of("theme", "dark"));
        data.put("tags", List.of("a", "b"));
        data.put("admin", false);
        String id = s.createSession("alice", data);
        assertTrue(id.startsWith("alice."), id);

        Session got = s.getSession(id).orElseThrow();
        assertEquals(id, got.id());
        assertEquals("alice", got.userId());
        assertEquals(new BigDecimal(3), got.data().get("cart"));
        assertEquals("Zoë", got.data().get("name"));
        assertEquals(Map.of("theme", "dark"), got.data().get("prefs"));
        assertEquals(List.of("a", "b"), got.data().get("tags"));
        assertEquals(false, got.data().get("admin"));
        assertEquals(got.createdAt(), got.lastAccessedAt());
        assertEquals(Duration.ofMinutes(20), got.ttl());
        assertEquals(got.createdAt().plus(Duration.ofMinutes(20)), got.expiresAt());

        Map<String, Object> changes = new HashMap<>();
        changes.put("cart", 4);
        changes.put("name", null); // removes the field
        changes.put("new", "x");
        assertTrue(s.updateSession(id, changes));
        Session after = s.getSession(id).orElseThrow();
        assertEquals(new BigDecimal(4), after.data().get("cart"));
        assertFalse(after.data().containsKey("name"));
        assertEquals("x", after.data().get("new"));
        assertEquals(Map.of("theme", "dark"), after.data().get("prefs"));

        assertTrue(s.deleteSession(id));
        assertEquals(Optional.empty(), s.getSession(id));
    }

    @Test
    void idsAreUnguessableAndDistinct() {
        TenantSessions s = tenant(unique("t"));
        String a = s.createSession("bob", Map.of());
        String b = s.createSession("bob", Map.of());
        assertNotEquals(a, b);
        assertTrue(a.matches("bob\\.[A-Za-z0-9_-]{22}"), a);
    }

    @Test
    void updateOrTouchOfAMissingOrDeletedSessionNeverResurrectsIt() {
        TenantSessions s = tenant(unique("t"));
        String id = s.createSession("carol", Map.of("a", 1));
        assertTrue(s.deleteSession(id));
        assertFalse(s.updateSession(id, Map.of("a", 2)));
        assertEquals(Optional.empty(), s.touch(id));
        assertEquals(Optional.empty(), s.getSession(id));
        assertNoneListed(s, "carol");
        String never = SessionId.newId("carol").value();
        assertUnknown(false, () -> s.updateSession(never, Map.of("a", 2)));
        assertUnknown(Optional.empty(), () -> s.getSession(never));
        assertUnknown(Optional.empty(), () -> s.touch(never));
        assertUnknown(false, () -> s.deleteSession(never));
    }

    @Test
    void sessionExpiresAfterItsTtlAndStaysGone() {
        TenantSessions s = tenant(unique("t"));
        String id = s.createSession("dave", Map.of("a", 1), Duration.ofMillis(300));
        await(() -> s.getSession(id).isEmpty(), "the session to expire");
        assertFalse(s.updateSession(id, Map.of("a", 2)));
        assertEquals(Optional.empty(), s.touch(id, Duration.ofHours(1)));
        assertEquals(Optional.empty(), s.getSession(id));
    }

    @Test
    void ttlFollowsImportance() {
        TenantSessions s = tenant(unique("t"));
        Map<SessionImportance, Duration> expected = Map.of(SessionImportance.EPHEMERAL, Duration.ofMinutes(2),
                SessionImportance.STANDARD, Duration.ofMinutes(20), SessionImportance.LONG_LIVED, Duration.ofDays(3));
        expected.forEach((importance, ttl) -> {
            Session got = s.getSession(s.createSession("erin", Map.of(), importance)).orElseThrow();
            assertEquals(ttl, got.ttl(), importance.name());
            assertEquals(got.createdAt().plus(ttl), got.expiresAt(), importance.name());
        });
        Session explicit = s.getSession(s.createSession("erin", Map.of(), Duration.ofSeconds(90))).orElseThrow();
        assertEquals(Duration.ofSeconds(90), explicit.ttl());
    }

    @Test
    void badTtlsAreRejected() {
        TenantSessions s = tenant(unique("t"));
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-5), Duration.ofDays(11), null}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> s.createSession("frank", Map.of(), bad));
            assertTrue(e.getMessage().contains("redis.crew.sessions.max-ttl"), e.getMessage());
        }
        String id = s.createSession("frank", Map.of());
        assertThrows(InvalidInputException.class, () -> s.touch(id, Duration.ofDays(11)));
    }

    @Test
    void touchRenewsTheExpiry() {
        TenantSessions s = tenant(unique("t"));
        String id = s.createSession("gina", Map.of(), Duration.ofHours(1));
        Instant first = s.getSession(id).orElseThrow().expiresAt();
        Instant renewed = s.touch(id, Duration.ofHours(2)).orElseThrow();
        assertTrue(renewed.isAfter(first.plus(Duration.ofMinutes(59))), renewed + " vs " + first);
        Session got = s.getSession(id).orElseThrow();
        assertEquals(renewed, got.expiresAt());
        assertEquals(Duration.ofHours(2), got.ttl());
        await(() -> s.touch(id).orElseThrow().isAfter(renewed), "a later touch to move the expiry on");
        assertEquals(Duration.ofHours(2), s.getSession(id).orElseThrow().ttl());
    }

    @Test
    void readsDoNotRenewWithoutSlidingExpiry() {
        TenantSessions s = tenant(unique("t"));
        String id = s.createSession("hank", Map.of());
        Instant expires = s.getSession(id).orElseThrow().expiresAt();
        for (int i = 0; i < 5; i++) {
            assertEquals(expires, s.getSession(id).orElseThrow().expiresAt());
        }
    }

    @Test
    void slidingExpiryRenewsOnReadAndUpdate() {
        TenantSessions s = manager(Map.of("redis.crew.sessions.sliding-expiry", "true")).forTenant(unique("t"));
        String id = s.createSession("ivy", Map.of("a", 1), Duration.ofHours(1));
        Session first = s.getSession(id).orElseThrow();
        await(() -> s.getSession(id).orElseThrow().expiresAt().isAfter(first.expiresAt()), "a read to renew");
        Session later = s.getSession(id).orElseThrow();
        assertTrue(later.lastAccessedAt().isAfter(first.createdAt()));
        assertEquals(later.lastAccessedAt().plus(Duration.ofHours(1)), later.expiresAt());
        assertEquals(first.createdAt(), later.createdAt());
        // listing does not renew, so it shows what an update alone did
        if (listed(s, "ivy") == null) {
            assertTrue(s.updateSession(id, Map.of("a", 2)));
            return;
        }
        Instant beforeUpdate = s.listSessions("ivy").get(0).expiresAt();
        await(() -> {
            assertTrue(s.updateSession(id, Map.of("a", 2)));
            return s.listSessions("ivy").get(0).expiresAt().isAfter(beforeUpdate);
        }, "an update to renew");
        Instant listed = s.listSessions("ivy").get(0).expiresAt();
        assertEquals(listed, s.listSessions("ivy").get(0).expiresAt(), "listing does not renew");
    }

    @Test
    void concurrentUpdatesOfDifferentFieldsAllSurvive() throws Exception {
        TenantSessions s = tenant(unique("t"));
        String id = s.createSession("jack", Map.of("shared", 0));
        int threads = 16;
        int rounds = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            fs.add(pool.submit(() -> {
                start.await();
                for (int i = 1; i <= rounds; i++) {
                    assertTrue(s.updateSession(id, Map.of("f" + thread, i)));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : fs) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Map<String, Object> data = s.getSession(id).orElseThrow().data();
        for (int t = 0; t < threads; t++) {
            assertEquals(new BigDecimal(rounds), data.get("f" + t), "field f" + t + " of " + data);
        }
        assertEquals(new BigDecimal(0), data.get("shared"));
    }

    @Test
    void listAndRevokePerUser() {
        TenantSessions s = tenant(unique("t"));
        List<String> ids = createForKimAndLee(s);
        String a1 = ids.get(0);
        String a2 = ids.get(1);
        String other = ids.get(2);
        assertEquals(List.of(a1, a2), s.listSessions("kim").stream().map(Session::id).collect(Collectors.toList()));
        assertEquals(new BigDecimal(2), s.listSessions("kim").get(1).data().get("n"));
        assertEquals(2, s.deleteAllSessions("kim"));
        assertTrue(s.listSessions("kim").isEmpty());
        assertEquals(Optional.empty(), s.getSession(a1));
        assertEquals(Optional.empty(), s.getSession(a2));
        assertTrue(s.getSession(other).isPresent());
        assertEquals(0, s.deleteAllSessions("kim"));
        assertTrue(s.listSessions("nobody").isEmpty());
    }

    @Test
    void dataSizeIsLimited() {
        TenantSessions s = tenant(unique("t"));
        // max 1000 bytes: name + JSON value per field
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> s.createSession("mia", Map.of("big", "x".repeat(1000))));
        assertTrue(e.getMessage().contains("1000") && e.getMessage().contains("max-data-bytes"), e.getMessage());
        String id = s.createSession("mia", Map.of("a", "x".repeat(500)));
        InvalidInputException u = assertThrows(InvalidInputException.class,
                () -> s.updateSession(id, Map.of("b", "y".repeat(500))));
        assertTrue(u.getMessage().contains("too large"), u.getMessage());
        assertFalse(s.getSession(id).orElseThrow().data().containsKey("b"), "a rejected update writes nothing");
        // replacing a field counts its new size, not both
        assertTrue(s.updateSession(id, Map.of("a", "z".repeat(900))));
        Map<String, Object> removeAndAdd = new HashMap<>();
        removeAndAdd.put("a", null);
        removeAndAdd.put("b", "y".repeat(900));
        assertTrue(s.updateSession(id, removeAndAdd));
        assertEquals(Map.of("b", "y".repeat(900)), s.getSession(id).orElseThrow().data());
    }

    @Test
    void badIdsAndUserIdsAreRejectedWithTheRule() {
        TenantSessions s = tenant(unique("t"));
        for (String bad : new String[] {"a:b", "{x}", "a*", "", "é", "a.b"}) {
            InvalidNameException e = assertThrows(InvalidNameException.class, () -> s.createSession(bad, Map.of()));
            assertTrue(e.getMessage().contains("user id"), e.getMessage());
            assertThrows(InvalidNameException.class, () -> s.listSessions(bad));
        }
        for (String bad : new String[] {"nope", "a.b.c", "u.short", "x:y.AAAAAAAAAAAAAAAAAAAAAA", "{u}.AAAAAAAAAAAAAAAAAAAAAA"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.getSession(bad));
            assertTrue(e.getMessage().contains("invalid session id"), e.getMessage());
        }
        assertThrows(InvalidNameException.class, () -> manager(Map.of()).forTenant("bad tenant"));
    }

    @Test
    void tenantsAreIsolated() {
        RedisSessionManager m = manager(Map.of());
        TenantSessions a = m.forTenant(unique("a"));
        TenantSessions b = m.forTenant(unique("b"));
        String id = a.createSession("nia", Map.of("k", "A"));
        assertUnknown(Optional.empty(), () -> b.getSession(id));
        assertUnknown(false, () -> b.updateSession(id, Map.of("k", "B")));
        assertNoneListed(b, "nia");
        String inB = b.createSession("nia", Map.of());
        assertTrue(b.deleteSession(inB));
        assertEquals("A", a.getSession(id).orElseThrow().data().get("k"));
        List<Session> inA = listed(a, "nia");
        if (inA != null) {
            assertEquals(1, inA.size());
        }
    }
}
