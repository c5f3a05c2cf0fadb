/**
 * What keeps the components answering while Redis is down and makes good on it afterwards: the
 * {@link io.mcpcrew.crew.resilience.CircuitBreaker} and its {@link io.mcpcrew.crew.resilience.BreakerState}, the
 * bounded, journaled {@link io.mcpcrew.crew.resilience.FallbackBuffer} of writes accepted meanwhile, and the
 * {@link io.mcpcrew.crew.resilience.RecoveryWriter} that runs each component's
 * {@link io.mcpcrew.crew.resilience.WriteBack} once Redis is back (see docs/architecture.md, "Fallback").
 */
package io.mcpcrew.crew.resilience;
