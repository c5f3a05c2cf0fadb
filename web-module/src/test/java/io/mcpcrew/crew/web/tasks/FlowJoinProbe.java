package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.FlowChild;
import io.mcpcrew.crew.tasks.NamedTaskHandler;
import io.mcpcrew.crew.tasks.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-deployment handler of task name {@code join}, as an application would write a flow's parent: its result is
 * {@code {"runs":N,"children":[{"id","name","outcome","result"}, ...]}}, N counting the runs of this task on this
 * node so far (1 unless it ran twice), the children as the handler was given them.
 */
@ApplicationScoped
public class FlowJoinProbe implements NamedTaskHandler {
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    @Override
    public String taskName() {
        return "join";
    }

    @Override
    public String handle(Task task) {
        int n = runs.computeIfAbsent(task.id(), k -> new AtomicInteger()).incrementAndGet();
        JsonArrayBuilder children = Json.createArrayBuilder();
        for (FlowChild c : task.children()) {
            children.add(Json.createObjectBuilder().add("id", c.id()).add("name", c.name())
                    .add("outcome", String.valueOf(c.outcome())).add("result", TaskCalls.json(c.result())));
        }
        return Json.createObjectBuilder().add("runs", n).add("children", children).build().toString();
    }
}
