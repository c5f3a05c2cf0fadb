/**
 * {@link io.mcpcrew.crew.lock.DistributedLock}: a Redis lock with a random token and a TTL, released by a
 * compare-and-delete script, so only its holder can release it (used to let one node at a time run a cleanup).
 */
package io.mcpcrew.crew.lock;
