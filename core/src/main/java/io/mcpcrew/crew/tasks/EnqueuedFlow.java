package io.mcpcrew.crew.tasks;

import java.util.List;

/**
 * The ids of an enqueued flow ({@link TaskQueue#enqueueFlow}).
 *
 * @param parentId the parent task's id
 * @param childIds the children's ids, in the order they were given
 */
public record EnqueuedFlow(String parentId, List<String> childIds) {

    public EnqueuedFlow {
        childIds = List.copyOf(childIds);
    }
}
