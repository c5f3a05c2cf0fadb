package io.mcpcrew.crew.web.metrics;

import io.mcpcrew.crew.metrics.MetricsDisabledException;
import io.mcpcrew.crew.metrics.Scrape;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.web.ApiExceptionMapper;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/v1/metrics}: every meter of the application (Crew's and any the application added to
 * {@code RedisManager.metrics().registry()}) in the Prometheus text format 0.0.4, or OpenMetrics 1.0.0 when the
 * {@code Accept} header asks for {@code application/openmetrics-text} (as Prometheus does). The gauges read from
 * Redis are refreshed at most once per {@code redis.crew.metrics.redis-read-interval}. A token of the scrape group or
 * the admin group is required ({@link ScrapeAccessFilter}); 404 with {@code redis.crew.metrics.enabled=false}. The
 * metrics are listed in {@code docs/observability.md}.
 */
@RolesAllowed("**") // MP-JWT: the server authenticates the token; ScrapeAccessFilter checks its group
@ScrapeAccess
@Path("/v1/metrics")
@RequestScoped
public class MetricsResource {
    @Inject
    RedisManager redis;

    @GET
    @Produces({"text/plain", "application/openmetrics-text", "*/*"})
    public Response scrape(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Scrape s;
        try {
            s = redis.metrics().scrape(accept);
        } catch (MetricsDisabledException e) {
            return ApiExceptionMapper.error(404, e.getMessage());
        }
        return Response.ok(s.body()).header(HttpHeaders.CONTENT_TYPE, s.contentType()).build();
    }
}
