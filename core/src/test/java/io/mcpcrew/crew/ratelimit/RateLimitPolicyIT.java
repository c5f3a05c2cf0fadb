package io.mcpcrew.crew.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.config.RedisCrewConfig;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.validation.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Policies stored in Redis and shared by every node: two limiters with managers of their own stand for two nodes on
 * one redis-server. Also the order in which stored, configured, caller and default policies apply, and the stored
 * format.
 */
@ExtendWith(RedisServerExtension.class)
class RateLimitPolicyIT {
    private static final Duration CACHE = Duration.ofMillis(300);
    private final List<JedisRedisManager> managers = new ArrayList<>();
    private RedisServer server;

    @BeforeEach
    void setUp(RedisServer server) {
        this.server = server;
        server.ensureRunningAndEmpty();
    }

    @AfterEach
    void close() {
        managers.forEach(JedisRedisManager::close);
        managers.clear();
        server.ensureRunningAndEmpty();
    }

    /** A node: a limiter on its own manager, with a {@link #CACHE} policy cache and {@code extra} configuration. */
    private RedisRateLimiter node(Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(Map.of("redis.crew.host", server.host(), "redis.crew.port",
                String.valueOf(server.port()), "redis.crew.breaker.open-duration", "200ms",
                "redis.crew.breaker.probe-interval", "50ms", "redis.crew.timeout", "1s",
                "redis.crew.fallback.journal.enabled", "false",
                RateLimitSettings.POLICY_CACHE, CACHE.toMillis() + "ms"));
        c.putAll(extra);
        JedisRedisManager m = new JedisRedisManager(RedisCrewConfig.load(c), null);
        managers.add(m);
        return new RedisRateLimiter(m);
    }

    private static final Quota GPT = Quota.of(Limit.slidingCounter("rpm", LimitUnit.REQUESTS, 60, Duration.ofMinutes(1)),
            Limit.tokenBucket("tpm", LimitUnit.TOKENS, 150_000, Duration.ofMinutes(1)),
            Limit.slidingCounter("tpd", LimitUnit.TOKENS, 2_000_000, Duration.ofDays(1)));

    @Test
    void aPolicyChangedOnOneNodeIsAppliedByAnotherWithinThePolicyCache() throws Exception {
        RedisRateLimiter a = node(Map.of());
        RedisRateLimiter b = node(Map.of());
        Quota before = b.quota("acme", "gpt-4");
        assertTrue(before.isExactLog(), "nothing stored: the configured default, an exact log: " + before);
        a.setQuota("acme", "gpt-4", GPT);
        assertEquals(GPT, a.quota("acme", "gpt-4"), "the node that changed it applies it at once");
        Thread.sleep(CACHE.toMillis() + 20);
        assertEquals(GPT, b.quota("acme", "gpt-4"), "the other node within the policy cache");
        QuotaDecision d = b.forTenant("acme").consume("gpt-4", 1200);
        assertTrue(d.allowed());
        assertEquals(List.of("rpm", "tpm", "tpd"), d.limits().stream().map(s -> s.limit().name()).toList());
        assertEquals(148_800, d.limit("tpm").remaining());
        QuotaDecision e = a.forTenant("acme").consume("gpt-4", 1);
        long day = Duration.ofDays(1).toNanos() / 1000;
        org.junit.jupiter.api.Assumptions.assumeTrue(RateLimiterContract.micros(d.decidedAt()) / day
                == RateLimiterContract.micros(e.decidedAt()) / day, "the two checks fell on two days");
        assertEquals(2_000_000 - 1200 - 1, e.limit("tpd").remaining(), "both nodes count in the same state");
        assertTrue(a.clearPolicy("acme", "gpt-4"));
        assertFalse(a.clearPolicy("acme", "gpt-4"));
        Thread.sleep(CACHE.toMillis() + 20);
        assertEquals(before, b.quota("acme", "gpt-4"), "removed on every node within the policy cache");
    }

    @Test
    void storedThenConfiguredThenCallerThenTenantDefaultThenDefault() {
        RedisRateLimiter l = node(Map.of("redis.crew.ratelimit.cfg.limits", "tpm=1000/1m tokens token-bucket burst=2000",
                "redis.crew.ratelimit.default.max-requests", "7", "redis.crew.ratelimit.default.window", "7s"));
        Quota caller = Quota.of(Limit.tokenBucket("calls", LimitUnit.REQUESTS, 3, Duration.ofSeconds(1)));
        assertEquals(Quota.of(Limit.exactLog("other", LimitUnit.TOKENS, 7, Duration.ofSeconds(7))), l.quota("acme", "other"),
                "the configured default, an exact log named after the resource");
        assertEquals(caller, l.quota("acme", "other", caller));
        assertEquals(LimitSpec.parse("tpm=1000/1m tokens token-bucket burst=2000"), l.quota("acme", "cfg", caller),
                "configuration before the caller's default");
        Quota tenantDefault = Quota.of(Limit.slidingCounter("rph", LimitUnit.REQUESTS, 500, Duration.ofHours(1)));
        l.setQuota("acme", RateLimitSettings.DEFAULT_RESOURCE, tenantDefault);
        assertEquals(tenantDefault, l.quota("acme", "other"), "the tenant's default before the configured default");
        assertEquals(caller, l.quota("acme", "other", caller), "the caller's default before the tenant's");
        assertEquals(Quota.of(Limit.exactLog("other", LimitUnit.TOKENS, 7, Duration.ofSeconds(7))), l.quota("globex", "other"),
                "another tenant keeps the configured default");
        l.setQuota("acme", "cfg", GPT);
        assertEquals(GPT, l.quota("acme", "cfg", caller), "stored before everything");
        l.setPolicy("acme", "old", RateLimitPolicy.of(5, Duration.ofSeconds(30)));
        assertEquals(RateLimitPolicy.of(5, Duration.ofSeconds(30)), l.policy("acme", "old"));
        assertEquals(Optional.of(RateLimitPolicy.of(5, Duration.ofSeconds(30))), l.policyOverride("acme", "old"));
        assertEquals(Optional.empty(), l.policyOverride("acme", "cfg"), "not an exact log");
        assertEquals(Optional.of(GPT), l.storedQuota("acme", "cfg"));
        RateLimiterContract.assertMessage(InvalidInputException.class, "not a single exact-log limit",
                () -> l.policy("acme", "cfg"));
    }

    @Test
    void policiesAreStoredAsJsonInOneHashPerTenant() {
        RedisRateLimiter l = node(Map.of());
        l.setPolicy("acme", "old", RateLimitPolicy.of(5, Duration.ofSeconds(30)));
        l.setQuota("acme", "gpt-4", Quota.of(Limit.tokenBucket("tpm", LimitUnit.TOKENS, 150_000, Duration.ofMinutes(1))
                .withBurst(300_000)));
        // the policy hash, and the registry of tenants the listing reads
        assertEquals(List.of("crew:_sys:catalog:tenants", "crew:acme:ratelimit-policy"),
                server.scanKeys("crew:*").stream().sorted().toList());
        assertTrue(server.command("HGET", "crew:acme:ratelimit-policy", "gpt-4").contains("{\"limits\":[{\"name\":\"tpm\","
                + "\"unit\":\"tokens\",\"algorithm\":\"token-bucket\",\"max\":150000,\"windowMicros\":60000000,"
                + "\"burst\":300000}]}"));
        assertTrue(server.command("HGET", "crew:acme:ratelimit-policy", "old")
                .contains("{\"name\":\"old\",\"unit\":\"tokens\",\"algorithm\":\"exact-log\",\"max\":5,"
                        + "\"windowMicros\":30000000,\"burst\":5}"));
        assertEquals(":-1", server.command("TTL", "crew:acme:ratelimit-policy").trim(), "configuration does not expire");
        server.command("HSET", "crew:acme:ratelimit-policy", "broken", "{\"limits\":[{\"name\":\"x\"}]}");
        assertTrue(l.quota("acme", "broken").isExactLog(), "a stored value that is no policy is ignored");
    }

    @Test
    void ceilingsAreCheckedBeforeStoring() {
        RedisRateLimiter l = node(Map.of());
        RateLimiterContract.assertMessage(InvalidInputException.class, "quota-window-ceiling", () -> l.setQuota("acme",
                "x", Quota.of(Limit.tokenBucket("t", LimitUnit.TOKENS, 10, Duration.ofDays(3)))));
        RateLimiterContract.assertMessage(InvalidInputException.class, "max-requests-ceiling",
                () -> l.setPolicy("acme", "x", RateLimitPolicy.of(200_000, Duration.ofSeconds(1))));
        assertEquals(List.of(), server.scanKeys("crew:*"));
    }

    @Test
    void whileRedisIsDownTheLastPoliciesReadAreUsed() {
        RedisRateLimiter l = node(Map.of());
        l.setQuota("acme", "gpt-4", GPT);
        assertEquals(GPT, l.quota("acme", "gpt-4"));
        server.stop();
        assertEquals(GPT, l.quota("acme", "gpt-4"), "read before the outage");
        QuotaDecision d = l.forTenant("acme").consume("gpt-4", 10);
        assertEquals(DecidedBy.LOCAL_FALLBACK, d.decidedBy());
        assertEquals(3, d.limits().size());
        assertTrue(l.quota("acme", "unread").isExactLog(), "never read: the configured policy");
    }

    @Test
    void aBadLimitsConfigurationFailsTheFirstUseNamingTheKey() {
        RedisRateLimiter l = node(Map.of("redis.crew.ratelimit.bad.limits", "tpm=10/1m tokens gcra"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> l.quota("acme", "bad"));
        assertTrue(e.getMessage().contains("REDIS_CREW_RATELIMIT_BAD_LIMITS") && e.getMessage().contains("gcra"),
                e.getMessage());
    }
}
