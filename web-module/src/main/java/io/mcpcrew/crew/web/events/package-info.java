/**
 * HTTP API of the event streams: publish ({@code POST .../events}), replay ({@code GET .../events}), live
 * Server-Sent Events with {@code Last-Event-ID} resume ({@code GET .../sse}), stream information and dead letters.
 * See {@code docs/events.md}.
 */
package io.mcpcrew.crew.web.events;
