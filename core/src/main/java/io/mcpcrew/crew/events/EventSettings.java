package io.mcpcrew.crew.events;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.ConfigurationException;
import io.mcpcrew.crew.validation.Names;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events configuration, {@code redis.crew.events.*} (env {@code REDIS_CREW_EVENTS_*}), validated when the
 * {@link RedisEventManager} is built. Retention is per stream name: {@code redis.crew.events.stream.<name>.max-len}
 * and {@code .max-age} override the defaults {@code redis.crew.events.max-len} / {@code max-age}.
 */
public final class EventSettings {
    static final String PREFIX = "redis.crew.events.";

    private final ConfigSource source;
    private final long maxLen;
    private final Duration maxAge;
    private final Duration block;
    private final int batchSize;
    private final int maxDeliveries;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final Duration claimTimeout;
    private final long deadMaxLen;
    private final int bufferCapacity;
    private final List<CdiBridgeSpec> cdiStreams;
    private final String nodeId;
    private final Map<String, Retention> retentions = new ConcurrentHashMap<>();

    EventSettings(ConfigSource c) {
        this.source = c;
        maxLen = c.integer(PREFIX + "max-len", 100_000, 0, Integer.MAX_VALUE);
        maxAge = c.duration(PREFIX + "max-age", Duration.ZERO, Duration.ZERO);
        block = c.duration(PREFIX + "block", Duration.ofSeconds(1), Duration.ofMillis(10));
        if (block.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new ConfigurationException(PREFIX + "block", c.raw(PREFIX + "block").orElse(""),
                    "must be at most 30s (it bounds how long shutdown waits for a reader)");
        }
        batchSize = c.integer(PREFIX + "batch-size", 100, 1, 10_000);
        maxDeliveries = c.integer(PREFIX + "max-deliveries", 5, 1, 1000);
        retryBackoff = c.duration(PREFIX + "retry-backoff", Duration.ofSeconds(1), Duration.ofMillis(1));
        retryBackoffMax = c.duration(PREFIX + "retry-backoff-max", Duration.ofSeconds(30), retryBackoff);
        claimTimeout = c.duration(PREFIX + "claim-timeout", Duration.ofSeconds(60), Duration.ofMillis(10));
        if (retryBackoffMax.compareTo(claimTimeout) >= 0) {
            throw new ConfigurationException(PREFIX + "retry-backoff-max", c.raw(PREFIX + "retry-backoff-max").orElse(
                    "30s"), "must be shorter than redis.crew.events.claim-timeout (" + claimTimeout.toMillis()
                    + "ms), or a failing event would be reclaimed by another consumer while it waits for its retry");
        }
        deadMaxLen = c.integer(PREFIX + "dead.max-len", 10_000, 1, Integer.MAX_VALUE);
        bufferCapacity = c.integer(PREFIX + "buffer.capacity", 10_000, 1, 10_000_000);
        cdiStreams = parseCdiStreams(c, PREFIX + "cdi.streams");
        nodeId = c.raw(PREFIX + "node-id").map(v -> {
            if (!Names.isValid(v)) {
                throw new ConfigurationException(PREFIX + "node-id", v, Names.RULE);
            }
            return v;
        }).orElseGet(EventSettings::defaultNodeId);
    }

    public static EventSettings load(ConfigSource source) {
        return new EventSettings(source);
    }

    /**
     * Stream retention.
     *
     * @param maxLen MAXLEN ~ on every XADD (0: none)
     * @param maxAge XTRIM MINID of entries older than this (ZERO: none)
     */
    public record Retention(long maxLen, Duration maxAge) {
    }

    /** The retention of stream {@code name} (any tenant): its own keys, else the defaults. */
    public Retention retention(String stream) {
        return retentions.computeIfAbsent(stream, s -> new Retention(
                source.integer(PREFIX + "stream." + s + ".max-len", (int) maxLen, 0, Integer.MAX_VALUE),
                source.duration(PREFIX + "stream." + s + ".max-age", maxAge, Duration.ZERO)));
    }

    /**
     * A stream (optionally a group) whose events are fired as CDI events: {@code tenant:stream[:group]}.
     *
     * @param tenant the tenant
     * @param stream the stream name
     * @param group the consumer group, or null for broadcast
     */
    public record CdiBridgeSpec(String tenant, String stream, String group) {
        @Override
        public String toString() {
            return tenant + ":" + stream + (group == null ? "" : ":" + group);
        }
    }

    private static List<CdiBridgeSpec> parseCdiStreams(ConfigSource c, String key) {
        List<CdiBridgeSpec> out = new ArrayList<>();
        String raw = c.raw(key).orElse("");
        for (String part : raw.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            String[] s = p.split(":", -1);
            if ((s.length != 2 && s.length != 3) || !Names.isValid(s[0]) || !Names.isValid(s[1])
                    || (s.length == 3 && !Names.isValid(s[2]))) {
                throw new ConfigurationException(key, raw, "each entry must be tenant:stream or tenant:stream:group "
                        + "(comma separated), each name " + Names.RULE + "; bad entry '" + p + "'");
            }
            out.add(new CdiBridgeSpec(s[0], s[1], s.length == 3 ? s[2] : null));
        }
        return List.copyOf(out);
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_-]", "-");
        } catch (Exception e) {
            host = "node";
        }
        if (host.isEmpty() || !Character.isLetterOrDigit(host.charAt(0))) {
            host = "node" + host;
        }
        if (host.length() > 40) {
            host = host.substring(0, 40);
        }
        return host + "-" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffL);
    }

    public long maxLen() {
        return maxLen;
    }

    public Duration maxAge() {
        return maxAge;
    }

    public Duration block() {
        return block;
    }

    public int batchSize() {
        return batchSize;
    }

    public int maxDeliveries() {
        return maxDeliveries;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    /** The backoff before delivery {@code deliveries + 1}: retryBackoff × 2^(deliveries-1), capped. */
    public long backoffMillis(long deliveries) {
        long base = retryBackoff.toMillis();
        int shift = (int) Math.max(0, Math.min(30, deliveries - 1));
        return Math.min(retryBackoffMax.toMillis(), base << shift);
    }

    public Duration claimTimeout() {
        return claimTimeout;
    }

    public long deadMaxLen() {
        return deadMaxLen;
    }

    public int bufferCapacity() {
        return bufferCapacity;
    }

    public List<CdiBridgeSpec> cdiStreams() {
        return cdiStreams;
    }

    /** This node's name in consumer names ({@code <node-id>-<n>}). */
    public String nodeId() {
        return nodeId;
    }
}
