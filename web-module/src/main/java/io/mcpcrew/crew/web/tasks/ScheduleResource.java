package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.TaskSchedule;
import io.mcpcrew.crew.tasks.TaskSchedules;
import io.mcpcrew.crew.tasks.TaskQueues;
import io.mcpcrew.crew.validation.Names;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * {@code /api/v1/tenants/{tenant}/queues/{queue}/schedules}: the queue's recurring tasks. Create or replace one
 * ({@code PUT /{name}}), list them, read, pause, resume and delete one. Bad input (a cron expression that does not
 * parse or never fires, a rate out of range, an unknown time zone) is 400 naming the value and the rule; an unknown
 * schedule 404.
 */
@RolesAllowed("**") // MP-JWT: any authenticated caller; TenantAuthorizationFilter checks the tenant
@Path("/v1/tenants/{tenant}/queues/{queue}/schedules")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {
    @Inject
    TaskQueues queues;

    @PathParam("tenant")
    String tenant;

    @PathParam("queue")
    String queueName;

    private TaskSchedules schedules() {
        return queues.forTenant(tenant).queue(queueName).schedules();
    }

    /** Creates or replaces the schedule: 200 with the schedule as stored. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject put(@PathParam("name") String name, @RequestBody(required = true, description = "{\"taskName\":"
            + " string (required), \"payload\": any JSON, \"priority\": \"critical\" | \"high\" | \"normal\" | \"low\","
            + " \"cron\": string (5 fields, or 6 with seconds first, or a macro such as @daily) | \"everySeconds\":"
            + " integer 1..31622400 (exactly one of the two), \"timeZone\": IANA id such as Europe/Berlin (default UTC)}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON)) String raw) {
        Names.require("schedule name", name);
        return view(schedules().put(ScheduleRequest.parse(raw).toSpec(name)));
    }

    /** Every schedule of the queue, by name. */
    @GET
    public JsonObject list() {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (TaskSchedule s : schedules().list()) {
            a.add(view(s));
        }
        return Json.createObjectBuilder().add("schedules", a).build();
    }

    @GET
    @Path("{name}")
    public JsonObject get(@PathParam("name") String name) {
        return view(schedules().get(name).orElseThrow(() -> notFound(name)));
    }

    /** Removes the schedule (tasks it enqueued stay): 200 {@code {"name","deleted":true}}. */
    @DELETE
    @Path("{name}")
    public JsonObject delete(@PathParam("name") String name) {
        if (!schedules().delete(name)) {
            throw notFound(name);
        }
        return Json.createObjectBuilder().add("name", name).add("deleted", true).build();
    }

    /** Stops the schedule's ticks: 200 with the schedule. */
    @POST
    @Path("{name}/pause")
    public JsonObject pause(@PathParam("name") String name) {
        TaskSchedules s = schedules();
        if (!s.pause(name)) {
            throw notFound(name);
        }
        return view(s.get(name).orElseThrow(() -> notFound(name)));
    }

    /** Starts the schedule again from its first tick after now: 200 with the schedule. */
    @POST
    @Path("{name}/resume")
    public JsonObject resume(@PathParam("name") String name) {
        TaskSchedules s = schedules();
        if (!s.resume(name)) {
            throw notFound(name);
        }
        return view(s.get(name).orElseThrow(() -> notFound(name)));
    }

    private NotFoundException notFound(String name) {
        return new NotFoundException("no schedule " + Names.quote(name) + " in queue " + queueName + " of tenant "
                + tenant);
    }

    static JsonObject view(TaskSchedule s) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("name", s.name()).add("tenant", s.tenant())
                .add("queue", s.queue()).add("taskName", s.spec().taskName())
                .add("payload", TaskCalls.json(s.spec().payload())).add("priority", s.spec().priority().name());
        if (s.spec().cron() != null) {
            b.add("cron", s.spec().cron()).addNull("everySeconds");
        } else {
            b.addNull("cron").add("everySeconds", s.spec().every().getSeconds());
        }
        b.add("timeZone", s.spec().zone().getId()).add("paused", s.paused());
        instant(b, "nextRunAt", s.nextRunAt());
        instant(b, "lastFiredAt", s.lastFiredAt());
        if (s.lastTaskId().isPresent()) {
            b.add("lastTaskId", s.lastTaskId().get());
        } else {
            b.addNull("lastTaskId");
        }
        return b.build();
    }

    private static void instant(JsonObjectBuilder b, String name, Instant i) {
        if (i == null) {
            b.addNull(name);
        } else {
            b.add(name, i.toString());
        }
    }
}
