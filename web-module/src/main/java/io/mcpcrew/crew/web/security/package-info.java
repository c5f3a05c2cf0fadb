/**
 * Security of the HTTP API: MicroProfile JWT bearer tokens on every tenant resource ({@code @RolesAllowed("**")}
 * makes the server authenticate; {@link io.mcpcrew.crew.web.security.TenantAuthorizationFilter} checks the tenant
 * claim or the admin group), JSON bodies for the server's own 401s, and {@code whoami}.
 */
package io.mcpcrew.crew.web.security;
