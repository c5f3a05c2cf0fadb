package com.example.orders.web;

import com.example.orders.OrderService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code GET /orders/api/orders/{orderId}}: the order of the caller's tenant (the token's {@code tenant} claim) as
 * {@link OrderService} keeps it, {@code {"orderId","status",...}}; 404 if the tenant has no such order.
 *
 * <p>Within {@value #TIMEOUT_SECONDS} s or not at all: a read that times out or fails (Redis unreachable) answers
 * 503 with {@code Retry-After} ({@link Fallback}) rather than holding the request. On Payara Server these
 * annotations also switch MicroProfile Fault Tolerance on for the whole EAR (docs/deploy.md).
 */
@Path("/orders/{orderId}")
@RequestScoped
@RolesAllowed("**") // any valid token; the tenant is the token's own
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {
    static final int TIMEOUT_SECONDS = 2;
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    @Inject
    JsonWebToken caller;

    @Inject
    OrderService orders;

    @GET
    @Timeout(value = TIMEOUT_SECONDS, unit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "unavailable", skipOn = WebApplicationException.class)
    public Response order(@PathParam("orderId") String orderId) {
        if (!ORDER_ID.matcher(orderId).matches()) {
            throw new BadRequestException(error(400, "invalid order id \"" + orderId + "\": must match " + ORDER_ID));
        }
        String tenant = caller.getClaim("tenant");
        if (tenant == null) {
            throw new ForbiddenException(error(403, "the token names no tenant"));
        }
        Map<String, String> order = orders.order(tenant, orderId);
        if (order.isEmpty()) {
            return error(404, "no order " + orderId + " of tenant " + tenant);
        }
        JsonObjectBuilder b = Json.createObjectBuilder().add("orderId", orderId);
        order.forEach(b::add);
        return Response.ok(b.build()).build();
    }

    /** The fallback: the order store did not answer in time (or failed). */
    Response unavailable(String orderId) {
        return Response.fromResponse(error(503, "orders are unavailable, retry shortly")).header("Retry-After", "1")
                .build();
    }

    private static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("status", status).add("message", message).build()).build();
    }
}
