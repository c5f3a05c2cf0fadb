package io.mcpcrew.crew.web.security;

import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.ApiExceptionMapper;
import jakarta.annotation.Priority;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.security.Principal;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Tenant authorization for every request that names a {@code {tenant}}: the caller's MicroProfile JWT (verified by
 * the server: signature, issuer, expiry) must carry that tenant in its tenant claim, or belong to the admin group.
 * No token → 401 (with {@code WWW-Authenticate: Bearer}); another tenant → 403; a malformed tenant id → 400.
 * Resources marked {@link AdminOnly} need a token of the admin group: none → 401, any other → 403. Other resources
 * without a tenant that carry {@code @RolesAllowed} ({@code /whoami}) need a token of any tenant: none → 401.
 * It runs before the {@code @RolesAllowed} check (so a missing token is a 401 on every server, where WildFly
 * would answer 403), and fails closed: a tenant resource that forgot
 * {@code @RolesAllowed("**")} (so the server did not authenticate the token) answers 401, never serves.
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 10)
public class TenantAuthorizationFilter implements ContainerRequestFilter {

    @Inject
    AuthSettings auth;

    @Context
    ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext request) {
        if (adminOnly()) {
            JsonWebToken jwt = token(request, "this resource");
            if (jwt != null && !auth.isAdmin(jwt)) {
                request.abortWith(ApiExceptionMapper.error(403, "this resource is for the admin group '" + auth.adminGroup()
                        + "' (redis.crew.auth.admin-group) only"));
            }
            return;
        }
        String tenant = request.getUriInfo().getPathParameters().getFirst("tenant");
        if (tenant == null) {
            if (rolesAllowed()) {
                token(request, "this resource"); // e.g. /whoami: a token, of any tenant
            }
            return; // otherwise an open resource (status, health, OpenAPI)
        }
        JsonWebToken jwt = token(request, "tenant resources");
        if (jwt == null) {
            return;
        }
        if (!Names.isValid(tenant)) {
            request.abortWith(ApiExceptionMapper.error(400, "invalid tenant id " + Names.quote(tenant) + ": " + Names.RULE));
            return;
        }
        if (auth.isAdmin(jwt)) {
            return;
        }
        String claimed = auth.tenantOf(jwt);
        if (!tenant.equals(claimed)) {
            request.abortWith(ApiExceptionMapper.error(403, "this token is for tenant " + Names.quote(claimed)
                    + ", not " + Names.quote(tenant) + " (claim '" + auth.tenantClaim() + "'; group '" + auth.adminGroup()
                    + "' may act on any tenant)"));
        }
    }

    /** The caller's verified token; none → the request is answered 401 here and null returned. */
    private static JsonWebToken token(ContainerRequestContext request, String what) {
        Principal p = request.getSecurityContext() == null ? null : request.getSecurityContext().getUserPrincipal();
        if (p instanceof JsonWebToken) {
            return (JsonWebToken) p;
        }
        request.abortWith(ApiExceptionMapper.errorBuilder(401, "a bearer token (MicroProfile JWT) is required for "
                + what).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"crew-redis\"").build());
        return null;
    }

    /** A resource the server authenticates ({@code @RolesAllowed} on its class or method). */
    private boolean rolesAllowed() {
        if (resourceInfo == null) {
            return false;
        }
        Method m = resourceInfo.getResourceMethod();
        Class<?> c = resourceInfo.getResourceClass();
        return (m != null && m.isAnnotationPresent(RolesAllowed.class)) || (c != null && c.isAnnotationPresent(RolesAllowed.class));
    }

    private boolean adminOnly() {
        if (resourceInfo == null) {
            return false;
        }
        Method m = resourceInfo.getResourceMethod();
        Class<?> c = resourceInfo.getResourceClass();
        return (m != null && m.isAnnotationPresent(AdminOnly.class)) || (c != null && c.isAnnotationPresent(AdminOnly.class));
    }
}
