package io.mcpcrew.crew.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one session as it was read: its id, owner, data (JSON values: {@code String}, {@code BigDecimal},
 * {@code Boolean}, {@code null}, {@code Map}, {@code List}), and its timestamps. {@link #getExpiresAt()} is when
 * it disappears unless touched; {@link #getTtl()} is the span a touch (or a sliding read) renews it for.
 * Immutable; the getters make it serialize to JSON as-is.
 */
public final class Session {
    private final String id;
    private final String userId;
    private final Map<String, Object> data;
    private final Instant createdAt;
    private final Instant lastAccessedAt;
    private final Instant expiresAt;
    private final Duration ttl;

    public Session(String id, String userId, Map<String, Object> data, Instant createdAt, Instant lastAccessedAt,
            Instant expiresAt, Duration ttl) {
        this(id, userId, new LinkedHashMap<>(data), createdAt, lastAccessedAt, expiresAt, ttl, true);
    }

    /** Takes {@code ownedData} as is (the caller built it and keeps no reference). */
    Session(String id, String userId, LinkedHashMap<String, Object> ownedData, Instant createdAt, Instant lastAccessedAt,
            Instant expiresAt, Duration ttl, boolean owned) {
        this.id = Objects.requireNonNull(id);
        this.userId = Objects.requireNonNull(userId);
        this.data = Collections.unmodifiableMap(ownedData);
        this.createdAt = createdAt;
        this.lastAccessedAt = lastAccessedAt;
        this.expiresAt = expiresAt;
        this.ttl = ttl;
    }

    public String getId() {
        return id;
    }

    public String getUserId() {
        return userId;
    }

    /** The session data, one entry per field; unmodifiable. */
    public Map<String, Object> getData() {
        return data;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getLastAccessedAt() {
        return lastAccessedAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Duration getTtl() {
        return ttl;
    }

    @Override
    public String toString() {
        return "Session[" + id + ", user " + userId + ", " + data.size() + " fields, expires " + expiresAt + "]";
    }
}
