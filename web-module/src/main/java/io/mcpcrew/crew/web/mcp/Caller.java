package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who calls, from the verified MicroProfile JWT of the request: the same reading of the token as the HTTP API's
 * {@code TenantAuthorizationFilter}.
 *
 * @param issuer  the token's {@code iss}
 * @param subject the token's {@code sub}
 * @param tenant  its tenant claim ({@code redis.crew.auth.tenant-claim}), or null
 * @param admin   a member of the admin group ({@code redis.crew.auth.admin-group}): may act on any tenant
 */
public record Caller(String issuer, String subject, String tenant, boolean admin) {

    public static Caller of(JsonWebToken jwt, String tenantClaim, String adminGroup) {
        Object claim = jwt.getClaim(tenantClaim);
        String tenant = claim == null ? null : claim.toString().replaceAll("^\"|\"$", "");
        Set<String> groups = jwt.getGroups();
        return new Caller(jwt.getIssuer(), jwt.getSubject(), tenant, groups != null && groups.contains(adminGroup));
    }

    /** Who owns what this caller opens (an MCP session): one issuer's subject. */
    public String owner() {
        return issuer + "\n" + subject;
    }

    /** What the per-tenant session cap counts this caller under: its tenant, or (admin tokens) its subject. */
    public String quotaKey() {
        return admin ? "admin " + subject : "tenant " + tenant;
    }

    /**
     * The tenant a tool call acts on. A tenant's token acts on its own tenant: {@code requested} may be omitted or
     * must name it (another tenant is refused with the HTTP API's 403 message). An admin token acts on the tenant it
     * names, which is then required.
     *
     * @param requested the call's {@code tenant} argument, or null
     * @throws InvalidInputException a malformed tenant id, or none named by an admin token
     * @throws TenantRefused         a tenant the token does not grant
     */
    public String tenantFor(String requested, String tenantClaim, String adminGroup) {
        if (requested != null && !Names.isValid(requested)) {
            throw new InvalidInputException("invalid tenant id " + Names.quote(requested) + ": " + Names.RULE);
        }
        if (admin) {
            if (requested == null) {
                throw new InvalidInputException("field \"tenant\" is required: a token of the admin group '" + adminGroup
                        + "' names the tenant of each call");
            }
            return requested;
        }
        if (tenant == null) {
            throw new TenantRefused("this token names no tenant (claim '" + tenantClaim + "'; group '" + adminGroup
                    + "' may act on any tenant)");
        }
        if (requested != null && !requested.equals(tenant)) {
            throw new TenantRefused("this token is for tenant " + Names.quote(tenant) + ", not " + Names.quote(requested)
                    + " (claim '" + tenantClaim + "'; group '" + adminGroup + "' may act on any tenant)");
        }
        return tenant;
    }

    /** A call for a tenant the token does not grant: the HTTP API's 403. */
    public static final class TenantRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TenantRefused(String message) {
            super(message);
        }
    }
}
