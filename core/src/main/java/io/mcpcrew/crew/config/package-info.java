/**
 * Configuration of the Redis layer: {@code redis.crew.*} keys read through MicroProfile Config (so each is also
 * a {@code REDIS_CREW_*} environment variable), validated once at start-up with messages that name the key,
 * the variable, the value and the rule.
 */
package io.mcpcrew.crew.config;
