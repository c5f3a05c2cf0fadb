package io.mcpcrew.crew.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of one session as it was read: its id, owner, data (JSON values: {@code String}, {@code BigDecimal},
 * {@code Boolean}, {@code null}, {@code Map}, {@code List}), and its timestamps. {@link #expiresAt()} is when it
 * disappears unless touched; {@link #ttl()} is the span a touch (or a sliding read) renews it for.
 *
 * @param id             the session id ({@link SessionId}: {@code <userId>.<token>})
 * @param userId         the user the session belongs to
 * @param data           the session data, one entry per field, in the order read; an unmodifiable copy of what the
 *                       constructor was given (null values allowed)
 * @param createdAt      when the session was created
 * @param lastAccessedAt when it was last written, touched or read with sliding expiry
 * @param expiresAt      when it disappears unless renewed
 * @param ttl            the span a renewal extends it by
 */
public record Session(String id, String userId, Map<String, Object> data, Instant createdAt, Instant lastAccessedAt,
        Instant expiresAt, Duration ttl) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(data, "data");
        data = data instanceof OwnedData ? data : new OwnedData(new LinkedHashMap<>(data));
    }

    /** A session over {@code ownedData} as is, without a copy: the caller built it and keeps no reference. */
    static Session owning(String id, String userId, LinkedHashMap<String, Object> ownedData, Instant createdAt,
            Instant lastAccessedAt, Instant expiresAt, Duration ttl) {
        return new Session(id, userId, new OwnedData(ownedData), createdAt, lastAccessedAt, expiresAt, ttl);
    }

    @Override
    public String toString() {
        return "Session[" + id + ", user " + userId + ", " + data.size() + " fields, expires " + expiresAt + "]";
    }

    /** Session data no one else can change: an unmodifiable view of a map only this view holds. */
    private static final class OwnedData extends AbstractMap<String, Object> {
        private final Map<String, Object> view;

        OwnedData(LinkedHashMap<String, Object> owned) {
            this.view = Collections.unmodifiableMap(owned);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return view.entrySet();
        }

        @Override
        public Object get(Object key) {
            return view.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
        }
    }
}
