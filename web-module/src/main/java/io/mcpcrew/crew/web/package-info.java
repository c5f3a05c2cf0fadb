/**
 * The JAX-RS API ({@code /api/v1/...}): the application class, the status resource and the one exception-mapping
 * layer that turns every error into a JSON body with a clear message. Feature resources live in sub-packages
 * ({@code web.tasks}, {@code web.events}, ...).
 */
package io.mcpcrew.crew.web;
