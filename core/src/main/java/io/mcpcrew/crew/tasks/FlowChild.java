package io.mcpcrew.crew.tasks;

import java.util.ArrayList;
import java.util.List;

/**
 * One child of a flow as its parent sees it ({@link Task#children()}, {@link TaskInfo#children()}): which task it
 * is, and how it finished. Recorded in the parent when the child first finishes; a child retried by hand later does
 * not change it.
 *
 * @param id      the child task's id (a task of the parent's queue)
 * @param name    the child's task name
 * @param outcome SUCCEEDED, DEAD or CANCELLED; null while the child has not finished
 * @param result  the child's result (JSON text) if it SUCCEEDED with one, else null
 * @param error   the child's last error if it is DEAD, else null
 */
public record FlowChild(String id, String name, TaskState outcome, String result, String error) {

    /** True once the child finished (its outcome is recorded). */
    public boolean isFinished() {
        return outcome != null;
    }

    /** The child from its parent's {@code child:<i>} value, {@code "<id>|<outcome>|<name>|<text>"}. */
    static FlowChild parse(String value) {
        String[] p = value.split("\\|", 4);
        if (p.length < 4) {
            throw new IllegalStateException("malformed flow child value " + value);
        }
        TaskState outcome = p[1].isEmpty() ? null : TaskState.valueOf(p[1]);
        String text = p[3].isEmpty() ? null : p[3];
        return new FlowChild(p[0], p[2], outcome, outcome == TaskState.SUCCEEDED ? text : null,
                outcome == TaskState.DEAD ? text : null);
    }

    /** The children from the script reply of a parent's {@code child:<i>} values, in order (missing ones skipped). */
    static List<FlowChild> parseAll(List<?> values) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<FlowChild> out = new ArrayList<>(values.size());
        for (Object v : values) {
            if (v != null) {
                out.add(parse(ScriptValues.str(v)));
            }
        }
        return List.copyOf(out);
    }
}
