package io.mcpcrew.crew.tasks;

import java.time.Instant;

/**
 * The lease of a RUNNING task, as the running set holds it.
 *
 * @param token     the lease token of the claim ({@code <holder>.<claim>.<n>} from a Java worker; another worker's
 *                  may have any form)
 * @param holder    the process that holds it, {@code <host>-<pid>} (the token's first part), or null when the token
 *                  is not of the Java form
 * @param expiresAt when the lease runs out unless renewed: the next claim after it re-queues the task (or
 *                  dead-letters it on its last attempt)
 */
public record TaskLease(String token, String holder, Instant expiresAt) {
}
