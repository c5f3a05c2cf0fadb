/**
 * User sessions with a time to live, per tenant: {@link io.mcpcrew.crew.sessions.SessionManager} (CDI bean
 * {@link io.mcpcrew.crew.sessions.RedisSessionManager}) hands out a tenant-bound
 * {@link io.mcpcrew.crew.sessions.TenantSessions} to create, read, update (atomic per-field merge), touch (sliding
 * expiry), list and revoke sessions.
 *
 * <p>Layout: each session is one Redis hash whose data fields are stored one per hash field (JSON-encoded), so two
 * concurrent updates of different fields both survive; each user has an index (a sorted set scored by expiry
 * time) in the same hash slot as the user's sessions. Every write prunes the user's expired index entries and
 * gives the index the TTL of its longest-lived member, so the index never grows without bound; a periodic
 * {@linkplain io.mcpcrew.crew.sessions.SessionManager#cleanupAllTenants() cleanup} removes what is left without
 * keyspace notifications. While Redis is down a bounded in-memory store keeps the application working and writes
 * its sessions back when Redis returns. Key layout and formats: {@code docs/wire-format/sessions.md}.
 */
package io.mcpcrew.crew.sessions;
