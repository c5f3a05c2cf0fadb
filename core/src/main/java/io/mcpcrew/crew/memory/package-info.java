/**
 * How much Redis memory each tenant and component holds, estimated by sampling: a bounded SCAN of every master
 * counts the keys per tenant and component ({@link io.mcpcrew.crew.memory.KeyOwner}, from the key layout), a sample of
 * them is measured with {@code MEMORY USAGE}, and the totals are extrapolated with their standard errors and the cost
 * of the estimate ({@link io.mcpcrew.crew.memory.MemoryEstimator}, {@link io.mcpcrew.crew.memory.RedisMemoryEstimator}).
 */
package io.mcpcrew.crew.memory;
