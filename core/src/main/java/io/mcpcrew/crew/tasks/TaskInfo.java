package io.mcpcrew.crew.tasks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one task's record: state, attempts, timestamps, last error and result. The web module renders it
 * as the HTTP representation of a task (timestamps as ISO-8601 instants, absent values as null).
 *
 * @param payload     the payload JSON text as enqueued
 * @param attempts    attempts started so far (the running one included)
 * @param runAt       when the task may run (its delay, or the retry after a failed attempt)
 * @param startedAt   when the last attempt started
 * @param errorStack  the exception class, message and first stack frames of the last failure
 * @param result      the handler's result (JSON text) once SUCCEEDED
 * @param progress    what the handler of the current (or last) attempt reported with {@link Task#progress}; null
 *                    if it reported nothing (progress of an earlier attempt is not shown)
 * @param parentId    the id of the flow parent this task is a child of, or null
 * @param children    a flow parent's children in order, each with its outcome once finished; empty for any
 *                    other task
 * @param flowPolicy  a flow parent's policy on a child that does not succeed; null for any other task
 */
public record TaskInfo(String id, String tenant, String queue, String name, String payload, TaskPriority priority,
        TaskState state, int attempts, int maxAttempts, Instant createdAt, Instant runAt, Instant startedAt,
        Instant finishedAt, String lastError, String errorStack, String result, String idempotencyKey,
        TaskProgress progress, String parentId, List<FlowChild> children, FlowFailurePolicy flowPolicy) {

    public TaskInfo {
        children = List.copyOf(children);
    }

    /** The snapshot of the task record hash {@code h} (its fields as {@code docs/wire-format/tasks.md} lists them). */
    static TaskInfo fromRecord(String tenant, String queue, String id, Map<String, String> h) {
        TaskSpec spec = TaskSpec.parse(h.get("spec"));
        Instant createdAt = Instant.ofEpochMilli(spec.createdAtMillis());
        return new TaskInfo(id, tenant, queue, spec.name(), h.get("payload"), spec.priority(),
                TaskState.valueOf(h.get("state")), parseInt(h.get("attempts")), spec.maxAttempts(), createdAt,
                h.containsKey("runAt") ? instant(h.get("runAt")) : createdAt, instant(h.get("startedAt")),
                instant(h.get("finishedAt")), emptyToNull(h.get("lastError")), emptyToNull(h.get("errorStack")),
                emptyToNull(h.get("result")), emptyToNull(spec.idempotencyKey()), progress(h),
                emptyToNull(h.get("parent")), children(h),
                h.containsKey("flowPolicy") ? FlowFailurePolicy.valueOf(h.get("flowPolicy")) : null);
    }

    /** A flow parent's {@code child:1} .. {@code child:<childCount>} values as children. */
    private static List<FlowChild> children(Map<String, String> h) {
        int n = parseInt(h.get("childCount"));
        if (n == 0) {
            return List.of();
        }
        List<FlowChild> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            String v = h.get("child:" + i);
            if (v != null) {
                out.add(FlowChild.parse(v));
            }
        }
        return out;
    }

    /**
     * The record's {@code progress}, {@code progressMessage} and {@code progressAt}, if reported during the attempt
     * that started at {@code startedAt} (an earlier attempt's report is older than that).
     */
    private static TaskProgress progress(Map<String, String> h) {
        String percent = h.get("progress");
        String at = h.get("progressAt");
        if (percent == null || percent.isEmpty() || at == null || at.isEmpty()) {
            return null;
        }
        long atMillis = Long.parseLong(at);
        String started = h.get("startedAt");
        if (started != null && !started.isEmpty() && atMillis < Long.parseLong(started)) {
            return null;
        }
        return new TaskProgress(Integer.parseInt(percent), emptyToNull(h.get("progressMessage")),
                Instant.ofEpochMilli(atMillis));
    }

    private static int parseInt(String s) {
        return s == null || s.isEmpty() ? 0 : Integer.parseInt(s);
    }

    private static Instant instant(String ms) {
        return ms == null || ms.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(ms));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return "TaskInfo[" + tenant + "/" + queue + "/" + id + " " + name + " " + state + " attempts " + attempts + "]";
    }
}
