package io.mcpcrew.crew.web.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource (class or method) only members of the admin group ({@code redis.crew.auth.admin-group}) may call:
 * {@link TenantAuthorizationFilter} answers 401 without a valid token and 403 for any other token, before the
 * method runs. The class must also carry {@code @RolesAllowed("**")}, so that the server authenticates the token.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AdminOnly {
}
