package io.mcpcrew.crew.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * How a verified token is read: the claim naming its tenant ({@code redis.crew.auth.tenant-claim}) and the group
 * that may act on every tenant ({@code redis.crew.auth.admin-group}). One place for the filter and the resources
 * that describe the caller.
 */
@ApplicationScoped
public class AuthSettings {
    @Inject
    @ConfigProperty(name = "redis.crew.auth.tenant-claim", defaultValue = "tenant")
    String tenantClaim;

    @Inject
    @ConfigProperty(name = "redis.crew.auth.admin-group", defaultValue = "crew-admin")
    String adminGroup;

    public String tenantClaim() {
        return tenantClaim;
    }

    public String adminGroup() {
        return adminGroup;
    }

    /** Whether the token belongs to the admin group. */
    public boolean isAdmin(JsonWebToken jwt) {
        Set<String> groups = jwt.getGroups();
        return groups != null && groups.contains(adminGroup);
    }

    /** The tenant the token names in the tenant claim, or null when it names none. */
    public String tenantOf(JsonWebToken jwt) {
        Object claim = jwt.getClaim(tenantClaim);
        return claim == null ? null : claim.toString().replaceAll("^\"|\"$", "");
    }
}
