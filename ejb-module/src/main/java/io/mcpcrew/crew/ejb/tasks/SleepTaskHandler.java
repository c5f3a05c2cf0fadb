package io.mcpcrew.crew.ejb.tasks;

import io.mcpcrew.crew.tasks.DemoTaskHandler;
import io.mcpcrew.crew.tasks.PermanentTaskFailure;
import io.mcpcrew.crew.tasks.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;

/**
 * Built-in task {@code sleep}: payload {@code {"ms":N}} (0 to 600,000), sleeps N ms, result {@code {"sleptMs":N}}.
 * A payload without a valid {@code ms} is a permanent failure (dead-lettered at once).
 */
@ApplicationScoped
public class SleepTaskHandler implements DemoTaskHandler {
    static final long MAX_MS = 600_000;

    @Override
    public String taskName() {
        return "sleep";
    }

    @Override
    public String handle(Task task) throws Exception {
        long ms = millis(task.payload());
        Thread.sleep(ms);
        return "{\"sleptMs\":" + ms + "}";
    }

    static long millis(String payload) throws PermanentTaskFailure {
        try (JsonReader r = Json.createReader(new StringReader(payload))) {
            JsonValue v = r.readValue();
            if (v instanceof JsonObject && ((JsonObject) v).get("ms") instanceof JsonNumber) {
                JsonNumber n = ((JsonObject) v).getJsonNumber("ms");
                if (n.isIntegral() && n.longValue() >= 0 && n.longValue() <= MAX_MS) {
                    return n.longValue();
                }
            }
        } catch (RuntimeException e) {
            // not JSON: reported below
        }
        throw new PermanentTaskFailure("sleep needs a payload {\"ms\":N} with N from 0 to " + MAX_MS + ", got " + payload);
    }
}
