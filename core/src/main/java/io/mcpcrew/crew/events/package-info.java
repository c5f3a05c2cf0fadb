/**
 * Events on Redis Streams: {@link io.mcpcrew.crew.events.Event} (type, tenant, timestamp, priority, source,
 * correlation id and a JSON data payload), published to a tenant's named stream and delivered either to every
 * subscriber (broadcast, {@code XREAD}) or once per consumer group (competing consumers, {@code XREADGROUP}) with
 * at-least-once acknowledgement, retries with backoff, reclaim of entries left by dead consumers
 * ({@code XAUTOCLAIM}) and a dead-letter stream. Streams are trimmed by configuration (MAXLEN ~ / MINID), can be
 * replayed from an id or a time, reach CDI observers ({@link io.mcpcrew.crew.events.FromStream}) and are buffered
 * locally, in order, while Redis is down.
 *
 * <p>Entry point: {@link io.mcpcrew.crew.events.EventManager} ({@code @Inject}) or
 * {@link io.mcpcrew.crew.events.RedisEventManager} built by hand; {@code forTenant(tenant)} gives a
 * {@link io.mcpcrew.crew.events.TenantEvents}. The manager wires four parts, as Spring Data Redis separates them:
 * the publisher (with the fallback buffer), the subscription container (reader threads, consumer groups),
 * the stream queries and the trimmer. The Redis layout is documented in {@code docs/wire-format/events.md}.
 */
package io.mcpcrew.crew.events;
