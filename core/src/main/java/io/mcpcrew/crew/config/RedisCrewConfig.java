package io.mcpcrew.crew.config;

import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.validation.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration of the Redis layer, read once at start-up. Every key is a MicroProfile Config
 * property (and so an environment variable: {@code redis.crew.pool.max-total} → {@code REDIS_CREW_POOL_MAX_TOTAL}).
 * A bad value throws {@link ConfigurationException}, which stops the deployment.
 */
public final class RedisCrewConfig {
    public static final String PREFIX = "redis.crew.";

    private final String host;
    private final int port;
    private final Optional<String> username;
    private final Optional<String> password;
    private final int database;
    private final boolean ssl;
    private final TlsSettings tls;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final RedisMode mode;
    private final String sentinelMaster;
    private final Optional<String> sentinelUsername;
    private final Optional<String> sentinelPassword;
    private final List<HostPort> nodes;
    private final int poolMaxTotal;
    private final int poolMaxIdle;
    private final int poolMinIdle;
    private final Duration poolMaxWait;
    private final String keyPrefix;
    private final Map<DataType, Duration> ttls;
    private final int breakerFailureThreshold;
    private final Duration breakerOpenDuration;
    private final Duration breakerProbeInterval;
    private final boolean fallbackEnabled;
    private final Optional<java.nio.file.Path> journalDir;
    private final boolean coalesceEnabled;
    private final int coalesceLanes;
    private final int coalesceMaxBatch;
    private final int durabilityReplicas;
    private final Duration durabilityTimeout;
    private final ConfigSource source;

    private RedisCrewConfig(ConfigSource c) {
        this.source = c;
        host = c.string(PREFIX + "host", "localhost");
        port = c.integer(PREFIX + "port", 6379, 1, 65535);
        username = c.raw(PREFIX + "username");
        password = c.raw(PREFIX + "password");
        database = c.integer(PREFIX + "database", 0, 0, 65535);
        ssl = c.bool(PREFIX + "ssl", false);
        tls = TlsSettings.load(c, ssl);
        connectTimeout = c.duration(PREFIX + "connect-timeout", Duration.ofSeconds(2), Duration.ofMillis(1));
        timeout = c.duration(PREFIX + "timeout", Duration.ofSeconds(2), Duration.ofMillis(1));
        mode = c.enumValue(PREFIX + "mode", RedisMode.class, RedisMode.STANDALONE);
        sentinelMaster = c.string(PREFIX + "sentinel.master", "mymaster");
        sentinelUsername = c.raw(PREFIX + "sentinel.username");
        sentinelPassword = c.raw(PREFIX + "sentinel.password");
        if (mode != RedisMode.SENTINEL && (sentinelUsername.isPresent() || sentinelPassword.isPresent())) {
            String k = PREFIX + (sentinelUsername.isPresent() ? "sentinel.username" : "sentinel.password");
            throw new ConfigurationException(k, sentinelUsername.isPresent() ? sentinelUsername.get() : "***",
                    "is set but redis.crew.mode is " + mode.name().toLowerCase(java.util.Locale.ROOT)
                    + ": Sentinel credentials apply only with redis.crew.mode=sentinel");
        }
        if (sentinelUsername.isPresent() && sentinelPassword.isEmpty()) {
            throw new ConfigurationException(PREFIX + "sentinel.username", sentinelUsername.get(),
                    "needs redis.crew.sentinel.password (an ACL user authenticates with its password)");
        }
        nodes = parseNodes(c, PREFIX + "nodes");
        poolMaxTotal = c.integer(PREFIX + "pool.max-total", 32, 1, 10_000);
        poolMaxIdle = c.integer(PREFIX + "pool.max-idle", 16, 0, 10_000);
        poolMinIdle = c.integer(PREFIX + "pool.min-idle", 0, 0, 10_000);
        poolMaxWait = c.duration(PREFIX + "pool.max-wait", Duration.ofSeconds(2), Duration.ZERO);
        keyPrefix = c.string(PREFIX + "key-prefix", "crew");
        if (!Names.isValid(keyPrefix)) {
            throw new ConfigurationException(PREFIX + "key-prefix", keyPrefix, Names.RULE);
        }
        if (poolMinIdle > poolMaxTotal) {
            throw new ConfigurationException(PREFIX + "pool.min-idle", String.valueOf(poolMinIdle),
                    "must not exceed redis.crew.pool.max-total (" + poolMaxTotal + ")");
        }
        if (mode != RedisMode.STANDALONE && nodes.isEmpty()) {
            throw new ConfigurationException(PREFIX + "nodes", "", "must list host:port pairs (comma separated) when "
                    + "redis.crew.mode is " + mode.name().toLowerCase(java.util.Locale.ROOT));
        }
        Map<DataType, Duration> t = new EnumMap<>(DataType.class);
        for (DataType type : DataType.values()) {
            Duration d = c.duration(type.configKey(), type.defaultTtl(), Duration.ZERO);
            if (d.isZero()) {
                throw new ConfigurationException(type.configKey(), c.raw(type.configKey()).orElse(""),
                        "must be a positive duration (" + type.name() + " data is never kept without a TTL)");
            }
            t.put(type, d);
        }
        ttls = Collections.unmodifiableMap(t);
        refuseUnsupportedTtls(c);
        breakerFailureThreshold = c.integer(PREFIX + "breaker.failure-threshold", 3, 1, 1000);
        breakerOpenDuration = c.duration(PREFIX + "breaker.open-duration", Duration.ofSeconds(5), Duration.ofMillis(10));
        breakerProbeInterval = c.duration(PREFIX + "breaker.probe-interval", Duration.ofSeconds(1), Duration.ofMillis(10));
        fallbackEnabled = c.bool(PREFIX + "fallback.enabled", true);
        boolean journal = c.bool(PREFIX + "fallback.journal.enabled", true);
        String dir = c.string(PREFIX + "fallback.journal.dir", "").trim();
        journalDir = journal && fallbackEnabled ? Optional.of(dir.isEmpty() ? defaultJournalDir() : java.nio.file.Path.of(dir))
                : Optional.empty();
        coalesceEnabled = c.bool(PREFIX + "coalesce.enabled", true);
        coalesceLanes = c.integer(PREFIX + "coalesce.lanes", 2, 1, 10_000);
        coalesceMaxBatch = c.integer(PREFIX + "coalesce.max-batch", 64, 2, 10_000);
        if (coalesceEnabled && coalesceLanes > poolMaxTotal) {
            throw new ConfigurationException(PREFIX + "coalesce.lanes", String.valueOf(coalesceLanes),
                    "must not exceed redis.crew.pool.max-total (" + poolMaxTotal + "): each lane holds a connection");
        }
        durabilityReplicas = c.integer(PREFIX + "durability.replicas", 0, 0, 100);
        durabilityTimeout = c.duration(PREFIX + "durability.timeout", Duration.ofMillis(500), Duration.ofMillis(1));
        if (durabilityReplicas > 0 && durabilityTimeout.compareTo(timeout) >= 0) {
            throw new ConfigurationException(PREFIX + "durability.timeout", Durations.format(durabilityTimeout),
                    "must be shorter than redis.crew.timeout (" + Durations.format(timeout) + "): the reply of WAIT "
                    + "comes after the durability timeout and must arrive before the socket gives up");
        }
    }

    /** Reads and validates the configuration; throws {@link ConfigurationException} on the first bad value. */
    public static RedisCrewConfig load(ConfigSource source) {
        return new RedisCrewConfig(source);
    }

    public static RedisCrewConfig load(Map<String, String> values) {
        return load(ConfigSource.of(values));
    }

    /** Keys that are not settings and stop the start-up when set, with the rule each message states. */
    public static final Map<String, String> REFUSED_KEYS = Map.of(
            PREFIX + "ttl.event", "is not supported: event streams never expire; their retention is "
                    + "redis.crew.events.max-len and redis.crew.events.max-age (per stream "
                    + "redis.crew.events.stream.<name>.max-len / .max-age). Remove this setting",
            PREFIX + "ttl.task", "is not supported: task queues and unfinished tasks never expire (an expiry would "
                    + "drop queued work silently); a finished task's record expires after redis.crew.ttl.task-result, "
                    + "a dead one after redis.crew.ttl.dead-letter. Remove this setting");

    /**
     * {@code redis.crew.ttl.event} and {@code redis.crew.ttl.task} name no TTL that exists (streams and queues never
     * expire); a deployment that sets either, to any value, does not start, rather than run believing it applies.
     */
    private static void refuseUnsupportedTtls(ConfigSource c) {
        for (String key : new java.util.TreeSet<>(REFUSED_KEYS.keySet())) {
            Optional<String> v = c.raw(key);
            if (v.isPresent()) {
                throw new ConfigurationException(key, v.get(), REFUSED_KEYS.get(key));
            }
        }
    }

    private static List<HostPort> parseNodes(ConfigSource c, String key) {
        Optional<String> raw = c.raw(key);
        if (raw.isEmpty()) {
            return List.of();
        }
        List<HostPort> out = new ArrayList<>();
        for (String part : raw.get().split(",")) {
            String p = part.trim();
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new ConfigurationException(key, raw.get(), "each node must be host:port, e.g. redis-1:6379,redis-2:6379");
            }
            int port;
            try {
                port = Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new ConfigurationException(key, raw.get(), "node '" + p + "' has no valid port (1 to 65535)");
            }
            out.add(new HostPort(p.substring(0, colon), port));
        }
        return List.copyOf(out);
    }

    /** A host and port from {@code redis.crew.nodes}. */
    public static final class HostPort {
        private final String host;
        private final int port;

        public HostPort(String host, int port) {
            this.host = host;
            this.port = port;
        }

        public String host() {
            return host;
        }

        public int port() {
            return port;
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** The source this was read from, for components that read their own keys (e.g. rate-limit policies). */
    public ConfigSource source() {
        return source;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Optional<String> username() {
        return username;
    }

    public Optional<String> password() {
        return password;
    }

    public int database() {
        return database;
    }

    public boolean ssl() {
        return ssl;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration timeout() {
        return timeout;
    }

    public RedisMode mode() {
        return mode;
    }

    /** TLS trust, client certificate and verification ({@code redis.crew.ssl.*}); the defaults when TLS is off. */
    public TlsSettings tls() {
        return tls;
    }

    /** The ACL user the client authenticates as to the Sentinels ({@code redis.crew.sentinel.username}). */
    public Optional<String> sentinelUsername() {
        return sentinelUsername;
    }

    /**
     * The password of the Sentinels ({@code redis.crew.sentinel.password}: their {@code requirepass}, or the
     * password of {@link #sentinelUsername()}); the Redis nodes' own is {@link #password()}.
     */
    public Optional<String> sentinelPassword() {
        return sentinelPassword;
    }

    public String sentinelMaster() {
        return sentinelMaster;
    }

    public List<HostPort> nodes() {
        return nodes;
    }

    public int poolMaxTotal() {
        return poolMaxTotal;
    }

    public int poolMaxIdle() {
        return poolMaxIdle;
    }

    public int poolMinIdle() {
        return poolMinIdle;
    }

    public Duration poolMaxWait() {
        return poolMaxWait;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    /** The TTL of a data type (always positive). */
    public Duration ttl(DataType type) {
        return ttls.get(type);
    }

    public int breakerFailureThreshold() {
        return breakerFailureThreshold;
    }

    public Duration breakerOpenDuration() {
        return breakerOpenDuration;
    }

    public Duration breakerProbeInterval() {
        return breakerProbeInterval;
    }

    /**
     * Where writes accepted while Redis is down are journaled ({@code redis.crew.fallback.journal.dir}); empty when
     * {@code redis.crew.fallback.journal.enabled} (or the fallback) is off.
     */
    public Optional<java.nio.file.Path> journalDir() {
        return journalDir;
    }

    /** The server's data directory on WildFly ({@code jboss.server.data.dir}), else {@code ~/.crew-redis}. */
    static java.nio.file.Path defaultJournalDir() {
        String data = System.getProperty("jboss.server.data.dir");
        java.nio.file.Path base = data != null ? java.nio.file.Path.of(data, "crew-redis")
                : java.nio.file.Path.of(System.getProperty("user.home"), ".crew-redis");
        return base.resolve("journal");
    }

    public boolean fallbackEnabled() {
        return fallbackEnabled;
    }

    /** Concurrent calls of hot paths share pipelined round trips (see {@code RedisManager#coalesce}). */
    public boolean coalesceEnabled() {
        return coalesceEnabled;
    }

    /** Pipelines in flight at once when coalescing (each holds one pooled connection while it runs). */
    public int coalesceLanes() {
        return coalesceLanes;
    }

    /** Most commands one coalesced pipeline carries. */
    public int coalesceMaxBatch() {
        return coalesceMaxBatch;
    }

    /**
     * Replicas that must acknowledge a task enqueue, event publish or session creation before it is answered
     * ({@code redis.crew.durability.replicas}, 0 = off: answered once the master has it).
     */
    public int durabilityReplicas() {
        return durabilityReplicas;
    }

    /** How long a write waits for {@link #durabilityReplicas()} acknowledgements (WAIT's timeout). */
    public Duration durabilityTimeout() {
        return durabilityTimeout;
    }

    /** Where the client connects, for logs and health data (never the password). */
    public String target() {
        return mode == RedisMode.STANDALONE ? host + ":" + port : mode.name().toLowerCase(java.util.Locale.ROOT) + " " + nodes;
    }
}
