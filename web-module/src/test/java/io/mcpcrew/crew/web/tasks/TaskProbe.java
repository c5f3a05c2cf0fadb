package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.NamedTaskHandler;
import io.mcpcrew.crew.tasks.PermanentTaskFailure;
import io.mcpcrew.crew.tasks.Task;
import io.mcpcrew.crew.tasks.TaskCompletion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test-deployment bean, as an application would write it: observes {@link TaskCompletion} with plain CDI, and is the
 * handler of task name {@code probe}: payload {@code {"percent":N,"message":"...","failAttempts":K}} reports that
 * progress, fails attempts up to K, then waits until the test releases the task ({@link TaskProbeResource}).
 */
@ApplicationScoped
public class TaskProbe implements NamedTaskHandler {
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    void onCompletion(@Observes TaskCompletion c) {
        heard.add(c.id() + " " + c.outcome() + "#" + c.attempt() + " " + c.taskName() + " " + c.tenant() + "/"
                + c.queue() + " " + Thread.currentThread().getName());
    }

    // accessed through methods: a field read on the client proxy would see the proxy's own (empty) fields
    public List<String> heard(String id) {
        List<String> out = new ArrayList<>();
        for (String h : heard) {
            if (h.startsWith(id + " ")) {
                out.add(h.substring(id.length() + 1));
            }
        }
        return out;
    }

    public void release(String id) {
        gate(id).countDown();
    }

    private CountDownLatch gate(String id) {
        return gates.computeIfAbsent(id, k -> new CountDownLatch(1));
    }

    @Override
    public String taskName() {
        return "probe";
    }

    @Override
    public String handle(Task task) throws Exception {
        JsonObject p = Json.createReader(new StringReader(task.payload())).readObject();
        if (task.attempt() <= p.getInt("failAttempts", 0)) {
            throw new IllegalStateException("probe fails attempt " + task.attempt());
        }
        task.progress(p.getInt("percent", 0), p.getString("message", null));
        if (!gate(task.id()).await(60, TimeUnit.SECONDS)) {
            throw new PermanentTaskFailure("probe task " + task.id() + " was never released");
        }
        return "{\"released\":true}";
    }
}
