/**
 * MicroProfile Health checks: readiness (Redis answers PING, with latency, version, mode and breaker state),
 * liveness (background workers alive) and startup (configuration valid, Lua scripts registered). They live in
 * core because WildFly only discovers health checks in a library jar in the EAR's {@code lib/}.
 */
package io.mcpcrew.crew.health;
