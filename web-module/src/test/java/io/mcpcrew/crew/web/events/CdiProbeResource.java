package io.mcpcrew.crew.web.events;

import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.events.Subscription;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Test-deployment resource: starts the CDI bridge through the API and shows what {@link CdiProbe} observed. */
@Path("/v1/test/cdi-probe")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class CdiProbeResource {
    @Inject
    EventManager events;

    @Inject
    CdiProbe probe;

    static volatile Subscription bridge;

    @POST
    public JsonObject bridge(@QueryParam("tenant") String tenant, @QueryParam("stream") String stream) {
        bridge = events.bridgeToCdi(tenant, stream, null);
        return Json.createObjectBuilder().add("bridged", stream).build();
    }

    @GET
    public JsonObject seen() {
        return Json.createObjectBuilder().add("fromStream", Json.createArrayBuilder(probe.fromStream()))
                .add("agentsOnly", Json.createArrayBuilder(probe.agentsOnly()))
                .add("bridge", String.valueOf(bridge) + " active=" + (bridge != null && bridge.isActive())
                        + " lastError=" + (bridge == null ? null : bridge.lastError())
                        + " lastDelivered=" + (bridge == null ? null : bridge.lastDeliveredId())).build();
    }
}
