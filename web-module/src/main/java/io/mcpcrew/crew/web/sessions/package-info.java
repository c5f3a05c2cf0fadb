/**
 * HTTP API of the sessions component: {@code /api/v1/tenants/{tenant}/sessions...} (create, read, merge-update,
 * touch, delete) and {@code /api/v1/tenants/{tenant}/users/{userId}/sessions} (list, revoke). See docs/sessions.md.
 */
package io.mcpcrew.crew.web.sessions;
