package io.mcpcrew.crew.web.mcp;

import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.tasks.TaskQueues;
import io.mcpcrew.crew.web.mcp.ToolDef.RestMethod;
import io.mcpcrew.crew.web.tasks.TaskCalls;
import io.mcpcrew.crew.web.tasks.TaskResource;
import java.time.Duration;
import java.util.List;

/**
 * The task queue as tools: {@code enqueue_task}, {@code enqueue_flow}, {@code get_task} (with a bounded wait for
 * the task to finish), {@code cancel_task}, {@code queue_stats}; each the MCP form of a method of
 * {@link TaskResource}, through {@link TaskCalls}.
 */
final class TaskTools {
    static final String TENANT = """
            "tenant": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
              "description": "The tenant: omit it (or give your token's tenant); admin tokens must name it."}""";
    static final String QUEUE = """
            "queue": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", "description": "The queue name."}""";
    private static final String TASK_FIELDS = """
              "name": {"type": "string", "description": "The task name: the handler that runs it, e.g. \\"echo\\"."},
              "payload": {"description": "Any JSON value handed to the handler."},
              "priority": {"type": "string", "description": "critical, high, normal (default) or low, in any case."},
              "maxAttempts": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "Default: the queue's."}""";
    private static final String TASK = """
            {"type": "object", "properties": {
              "id": {"type": "string"}, "tenant": {"type": "string"}, "queue": {"type": "string"},
              "name": {"type": "string"},
              "state": {"type": "string", "enum": ["PENDING", "SCHEDULED", "WAITING_CHILDREN", "RUNNING", "SUCCEEDED", "FAILED", "DEAD", "CANCELLED"]},
              "priority": {"type": "string"}, "attempts": {"type": "integer"}, "maxAttempts": {"type": "integer"},
              "payload": {}, "result": {},
              "createdAt": {"type": ["string", "null"]}, "runAt": {"type": ["string", "null"]},
              "startedAt": {"type": ["string", "null"]}, "finishedAt": {"type": ["string", "null"]},
              "lastError": {"type": ["string", "null"]}, "errorStack": {"type": ["string", "null"]},
              "idempotencyKey": {"type": ["string", "null"]}, "parentId": {"type": ["string", "null"]},
              "flowPolicy": {"type": ["string", "null"]},
              "children": {"type": "array", "items": {"type": "object"}},
              "progress": {"type": ["object", "null"]}},
             "required": ["id", "tenant", "queue", "name", "state"]}""";

    private TaskTools() {
    }

    static List<ToolDef> all(TaskQueues queues) {
        return List.of(
                new ToolDef("enqueue_task", "Enqueue a task",
                        "Adds a task to a priority queue of the tenant; a worker with a handler of that name runs it"
                                + " (at least once, retried with backoff, dead after maxAttempts). Answers its id. The same"
                                + " rules and messages as POST /api/v1/tenants/{tenant}/queues/{queue}/tasks; counted in"
                                + " the tenant's api-writes budget. With an idempotencyKey a repeat answers the first id.",
                        """
                        {"type": "object", "properties": {
                        """ + TENANT + ",\n" + QUEUE + ",\n" + TASK_FIELDS + """
                        ,
                          "delaySeconds": {"type": "integer", "minimum": 0, "maximum": 31622400, "description": "Run no earlier than this many seconds from now."},
                          "idempotencyKey": {"type": "string", "description": "A key that makes a repeated enqueue answer the first task's id."}},
                         "required": ["queue", "name"]}""",
                        """
                        {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}""",
                        ToolDef.hints("Enqueue a task", false, false, false),
                        new RestMethod(TaskResource.class, "enqueue"),
                        c -> idOf(TaskCalls.enqueue(queue(queues, c), c.argsJson()))),
                new ToolDef("enqueue_flow", "Enqueue a flow",
                        "Adds a flow: a parent task that runs once after its children (1 to 1000 tasks of the same queue)"
                                + " have finished; onChildFailure FAIL_PARENT (default) or RUN_PARENT. Answers the parent's"
                                + " and the children's ids. As POST .../queues/{queue}/flows; counted in api-writes.",
                        """
                        {"type": "object", "properties": {
                        """ + TENANT + ",\n" + QUEUE + """
                        ,
                          "parent": {"type": "object", "description": "The parent task: {name, payload, priority, maxAttempts, idempotencyKey}."},
                          "children": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"type": "object"},
                            "description": "The children: [{name, payload, priority, delaySeconds, maxAttempts}, ...]."},
                          "onChildFailure": {"type": "string", "enum": ["FAIL_PARENT", "RUN_PARENT"]}},
                         "required": ["queue", "parent", "children"]}""",
                        """
                        {"type": "object", "properties": {"parentId": {"type": "string"},
                          "childIds": {"type": "array", "items": {"type": "string"}}}, "required": ["parentId", "childIds"]}""",
                        ToolDef.hints("Enqueue a flow", false, false, false),
                        new RestMethod(TaskResource.class, "enqueueFlow"),
                        c -> TaskCalls.view(TaskCalls.enqueueFlow(queue(queues, c), c.argsJson()))),
                new ToolDef("get_task", "Read a task",
                        "A task's state, attempts, result, error, progress and children. With wait (seconds, 0 to "
                                + TaskCalls.MAX_WAIT_SECONDS + ") the answer waits until the task finishes (SUCCEEDED, DEAD"
                                + " or CANCELLED) or the time is up, then answers the task as it is; a cancelled call stops"
                                + " waiting. As GET .../queues/{queue}/tasks/{id}?wait=N.",
                        """
                        {"type": "object", "properties": {
                        """ + TENANT + ",\n" + QUEUE + """
                        ,
                          "id": {"type": "string", "description": "The task id enqueue_task answered."},
                          "wait": {"type": "integer", "minimum": 0, "maximum": 60, "description": "Seconds to wait for the task to finish (default 0)."}},
                         "required": ["queue", "id"]}""",
                        TASK,
                        ToolDef.hints("Read a task", true, false, true),
                        new RestMethod(TaskResource.class, "task"),
                        c -> getTask(queues, c)),
                new ToolDef("cancel_task", "Cancel a task",
                        "Cancels a PENDING, SCHEDULED or FAILED (waiting to retry) task: it will not run. A task that"
                                + " is RUNNING or finished is refused (409). Cancelling twice answers the same. As DELETE"
                                + " .../queues/{queue}/tasks/{id}; counted in api-writes.",
                        """
                        {"type": "object", "properties": {
                        """ + TENANT + ",\n" + QUEUE + """
                        ,
                          "id": {"type": "string", "description": "The task id."}},
                         "required": ["queue", "id"]}""",
                        """
                        {"type": "object", "properties": {"id": {"type": "string"}, "state": {"type": "string", "const": "CANCELLED"}},
                         "required": ["id", "state"]}""",
                        ToolDef.hints("Cancel a task", false, true, true),
                        new RestMethod(TaskResource.class, "cancel"),
                        c -> TaskCalls.cancel(queue(queues, c), c.required("id", "the task id"))),
                new ToolDef("queue_stats", "Queue statistics",
                        "Counts of a queue: pending (by priority), scheduled, running, failed waiting retry, dead,"
                                + " waiting for children, oldest pending age, totals, per task name. As GET .../queues/{queue}.",
                        """
                        {"type": "object", "properties": {
                        """ + TENANT + ",\n" + QUEUE + """
                        },
                         "required": ["queue"]}""",
                        """
                        {"type": "object", "properties": {"tenant": {"type": "string"}, "queue": {"type": "string"},
                          "paused": {"type": "boolean"}, "pending": {"type": "integer"}, "pendingByPriority": {"type": "object"},
                          "scheduled": {"type": "integer"}, "failedWaitingRetry": {"type": "integer"}, "running": {"type": "integer"},
                          "dead": {"type": "integer"}, "waitingChildren": {"type": "integer"}, "byTaskName": {"type": "array"}},
                         "required": ["tenant", "queue", "pending", "running"]}""",
                        ToolDef.hints("Queue statistics", true, false, true),
                        new RestMethod(TaskResource.class, "stats"),
                        c -> TaskCalls.view(queue(queues, c).stats())));
    }

    private static TaskQueue queue(TaskQueues queues, ToolCall c) {
        return queues.forTenant(c.tenant()).queue(c.required("queue", "the queue name"));
    }

    private static java.util.Map<String, Object> idOf(String id) {
        return java.util.Map.of("id", id);
    }

    /** The task now, or (with a wait) a stage that completes when it finishes or the wait is over. */
    private static Object getTask(TaskQueues queues, ToolCall c) {
        TaskQueue q = queue(queues, c);
        String id = c.required("id", "the task id");
        int seconds = TaskCalls.waitSeconds(c.text("wait"));
        if (seconds == 0) {
            return TaskCalls.view(q.get(id).orElseThrow(() -> TaskCalls.notFound(q.tenant(), q.name(), id)));
        }
        return q.awaitAsync(id, Duration.ofSeconds(seconds)).thenApply(found -> TaskCalls.view(
                found.orElseThrow(() -> TaskCalls.notFound(q.tenant(), q.name(), id))));
    }
}
