/**
 * The admin API ({@code /api/v1/admin/...}, admin group only): the tenants of the application and the estimate of
 * Redis memory per tenant and component.
 */
package io.mcpcrew.crew.web.admin;
