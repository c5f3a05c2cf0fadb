package io.mcpcrew.crew.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sessions of one tenant ({@link SessionManager#forTenant}). Ids are unguessable ({@link SessionId}); user ids
 * follow {@link io.mcpcrew.crew.validation.Names#RULE}; data is a map of JSON-serializable values, at most
 * {@code redis.crew.sessions.max-data-bytes} in all. Bad input throws
 * {@link io.mcpcrew.crew.validation.InvalidInputException}; an expired or unknown session is "not found" (empty,
 * false), never an error, and is never brought back by a write.
 */
public interface TenantSessions {

    /** The tenant these sessions belong to. */
    String tenant();

    /** Creates a {@link SessionImportance#STANDARD} session; returns its id. */
    default String createSession(String userId, Map<String, ?> data) {
        return createSession(userId, data, SessionImportance.STANDARD);
    }

    /** Creates a session living {@code importance}'s configured TTL. */
    String createSession(String userId, Map<String, ?> data, SessionImportance importance);

    /** Creates a session living {@code ttl} (positive, at most {@code redis.crew.sessions.max-ttl}). */
    String createSession(String userId, Map<String, ?> data, Duration ttl);

    /** The session, if it exists and has not expired (renewing its expiry when sliding expiry is configured). */
    Optional<Session> getSession(String sessionId);

    /**
     * Merges {@code changes} into the session's data atomically: each entry sets that field (a null value removes
     * it); fields not named are kept, so concurrent updates of different fields all survive. Returns false (and
     * writes nothing) if the session does not exist or has expired.
     */
    boolean updateSession(String sessionId, Map<String, ?> changes);

    /** Renews the session's expiry by its own TTL; returns the new expiry, empty if not found. */
    Optional<Instant> touch(String sessionId);

    /** Renews the session's expiry by {@code ttl}, which becomes its TTL from now on; empty if not found. */
    Optional<Instant> touch(String sessionId, Duration ttl);

    /** Deletes a session; false if it did not exist. */
    boolean deleteSession(String sessionId);

    /** The user's live sessions, soonest-expiring first. */
    List<Session> listSessions(String userId);

    /** Deletes every session of the user (revoke everywhere); returns how many were deleted. */
    int deleteAllSessions(String userId);

    /** Removes index entries of sessions that have expired, for every user of the tenant; returns how many. */
    int cleanupExpiredSessions();
}
