package io.mcpcrew.crew.web.tasks;

import io.mcpcrew.crew.tasks.FlowFailurePolicy;
import io.mcpcrew.crew.tasks.NewFlow;
import io.mcpcrew.crew.tasks.NewTask;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.json.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Body of {@code POST .../queues/{queue}/flows}: {@code {"parent": task, "children": [task, ...],
 * "onChildFailure": "FAIL_PARENT" | "RUN_PARENT"}}, each task as {@link EnqueueRequest}.
 */
final class FlowRequest {
    private FlowRequest() {
    }

    /** Reads the body; a missing or mistyped field is a 400 naming it. */
    static NewFlow parse(String raw) {
        JsonFields b = JsonBody.object(raw, "{\"parent\":{\"name\":\"join\"},\"children\":[{\"name\":\"part\"}]}");
        JsonFields parent = b.object("parent");
        if (parent == null) {
            throw new InvalidInputException("field \"parent\" is required: the parent task, e.g. {\"name\":\"join\"}");
        }
        List<JsonFields> children = b.objects("children");
        if (children == null) {
            throw new InvalidInputException("field \"children\" is required: an array of 1 to " + NewFlow.MAX_CHILDREN
                    + " tasks, e.g. [{\"name\":\"part\"}]");
        }
        if (children.isEmpty() || children.size() > NewFlow.MAX_CHILDREN) {
            throw new InvalidInputException("field \"children\" has " + children.size() + " tasks: must have 1 to "
                    + NewFlow.MAX_CHILDREN);
        }
        List<NewTask> tasks = new ArrayList<>(children.size());
        for (JsonFields c : children) {
            tasks.add(EnqueueRequest.of(c).task());
        }
        return new NewFlow(EnqueueRequest.of(parent).task(), tasks, policy(b.string("onChildFailure")));
    }

    private static FlowFailurePolicy policy(String value) {
        if (value == null) {
            return FlowFailurePolicy.FAIL_PARENT;
        }
        try {
            return FlowFailurePolicy.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("invalid onChildFailure " + Names.quote(value)
                    + ": must be FAIL_PARENT or RUN_PARENT");
        }
    }
}
