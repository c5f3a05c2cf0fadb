package io.mcpcrew.crew.tasks;

import java.util.List;
import java.util.Objects;

/**
 * A flow to enqueue ({@link TaskQueue#enqueueFlow}): a parent task that runs once its children have finished, all
 * tasks of one queue. The children run as soon as workers claim them (or at their delay); the parent waits in
 * state WAITING_CHILDREN and then runs with every child's outcome and result in {@link Task#children()}.
 *
 * @param parent         the parent task; its options may carry an idempotency key (for the whole flow) but no
 *                       delay or run-at time (it runs when its children finish)
 * @param children       1 to {@value #MAX_CHILDREN} tasks; their options may carry a delay but no idempotency key;
 *                       each payload within the queue's limit, all of the flow's together at most
 *                       {@value #MAX_TOTAL_PAYLOAD_BYTES} bytes
 * @param onChildFailure what a child that ends DEAD or CANCELLED does to the parent; null:
 *                       {@link FlowFailurePolicy#FAIL_PARENT}
 */
public record NewFlow(NewTask parent, List<NewTask> children, FlowFailurePolicy onChildFailure) {
    /** The most children one flow may have. */
    public static final int MAX_CHILDREN = 1000;
    /** The most payload bytes of one flow, parent and children together (it is written by one script). */
    public static final int MAX_TOTAL_PAYLOAD_BYTES = 16 * 1_048_576;

    public NewFlow {
        Objects.requireNonNull(parent, "parent");
        children = List.copyOf(Objects.requireNonNull(children, "children"));
        onChildFailure = onChildFailure == null ? FlowFailurePolicy.FAIL_PARENT : onChildFailure;
    }

    /** A flow whose parent fails when a child does ({@link FlowFailurePolicy#FAIL_PARENT}). */
    public NewFlow(NewTask parent, List<NewTask> children) {
        this(parent, children, FlowFailurePolicy.FAIL_PARENT);
    }
}
