package io.mcpcrew.crew.web.tasks;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.ConfigProvider;

/** Test-deployment resource: what {@link FtProbeHandler} counted, and the MP Config value of its bulkhead. */
@Path("/v1/test/ft-probe")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class FtProbeResource {
    @Inject
    FtProbeHandler handler;

    @GET
    public JsonObject stats() {
        return Json.createObjectBuilder(handler.stats()).add("bulkheadConfig", ConfigProvider.getConfig()
                .getOptionalValue(FtProbeHandler.BULKHEAD_KEY, String.class).orElse("(not set)")).build();
    }

    @DELETE
    public JsonObject reset() {
        handler.reset();
        return stats();
    }
}
