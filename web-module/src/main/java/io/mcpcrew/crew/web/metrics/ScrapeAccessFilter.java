package io.mcpcrew.crew.web.metrics;

import io.mcpcrew.crew.web.ApiExceptionMapper;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who may scrape ({@link ScrapeAccess}): a MicroProfile JWT (verified by the server) of the group
 * {@code redis.crew.metrics.scrape-group} (a token that can do nothing else: give it to Prometheus) or of the admin
 * group. No token → 401 with {@code WWW-Authenticate: Bearer}; another token (a tenant's) → 403: the metrics name
 * tenants, queues and streams of every tenant. Runs before the {@code @RolesAllowed} check, so a missing token is a
 * 401 on every server.
 */
@Provider
@ScrapeAccess
@Priority(Priorities.AUTHENTICATION + 10)
public class ScrapeAccessFilter implements ContainerRequestFilter {
    @Inject
    @ConfigProperty(name = "redis.crew.metrics.scrape-group", defaultValue = "crew-metrics")
    String scrapeGroup;

    @Inject
    @ConfigProperty(name = "redis.crew.auth.admin-group", defaultValue = "crew-admin")
    String adminGroup;

    @Override
    public void filter(ContainerRequestContext request) {
        Principal p = request.getSecurityContext() == null ? null : request.getSecurityContext().getUserPrincipal();
        if (!(p instanceof JsonWebToken jwt)) {
            request.abortWith(ApiExceptionMapper.errorBuilder(401, "a bearer token (MicroProfile JWT) of the group '"
                    + scrapeGroup + "' (redis.crew.metrics.scrape-group) or '" + adminGroup + "' is required to scrape "
                    + "metrics").header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"crew-redis\"").build());
            return;
        }
        Set<String> groups = jwt.getGroups();
        if (groups == null || !(groups.contains(scrapeGroup) || groups.contains(adminGroup))) {
            request.abortWith(ApiExceptionMapper.error(403, "metrics are for the groups '" + scrapeGroup
                    + "' (redis.crew.metrics.scrape-group) and '" + adminGroup + "' (redis.crew.auth.admin-group) only"));
        }
    }
}
