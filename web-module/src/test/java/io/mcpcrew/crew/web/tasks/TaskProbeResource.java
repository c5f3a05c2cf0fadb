package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.TaskQueues;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Test-deployment resource: what {@link TaskProbe} heard of a task, its release, and how many callers wait. */
@Path("/v1/test/task-probe")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TaskProbeResource {
    @Inject
    TaskProbe probe;

    @Inject
    TaskQueues queues;

    @GET
    @Path("{id}")
    public JsonObject heard(@PathParam("id") String id) {
        return Json.createObjectBuilder().add("heard", Json.createArrayBuilder(probe.heard(id))).build();
    }

    @POST
    @Path("{id}/release")
    public JsonObject release(@PathParam("id") String id) {
        probe.release(id);
        return Json.createObjectBuilder().add("released", id).build();
    }

    @GET
    @Path("awaiting")
    public JsonObject awaiting() {
        return Json.createObjectBuilder().add("awaiting", queues.awaiting()).build();
    }
}
