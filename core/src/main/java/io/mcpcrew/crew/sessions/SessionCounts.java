package io.mcpcrew.crew.sessions;

/**
 * How many sessions a tenant has ({@link SessionManager#counts}), counted per user from the tenant's users registry
 * ({@code <prefix>:<tenant>:sessions:users}) and each visited user's index ({@code ZCOUNT} of the entries not yet
 * expired).
 *
 * @param users           users the registry may still have live sessions for (their visit-until time is not past)
 * @param usersVisited    users whose index was counted (all of them when {@code complete})
 * @param activeUsers     visited users with at least one live session
 * @param sessionsCounted live sessions of the visited users
 * @param sessions        live sessions: {@code sessionsCounted} when complete, else extrapolated by
 *                        {@code users / usersVisited}
 * @param complete        true if every user of the registry was visited
 * @param roundTrips      round trips to Redis
 */
public record SessionCounts(String tenant, long users, long usersVisited, long activeUsers, long sessionsCounted,
        long sessions, boolean complete, int roundTrips) {
}
