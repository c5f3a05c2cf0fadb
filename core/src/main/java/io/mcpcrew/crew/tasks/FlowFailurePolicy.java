package io.mcpcrew.crew.tasks;

/** What a flow's parent does when one of its children does not succeed (ends DEAD or CANCELLED). */
public enum FlowFailurePolicy {
    /**
     * The parent becomes DEAD at once (a dead letter, its last error naming the child) and never runs unless
     * retried by hand; the other children still run. The default.
     */
    FAIL_PARENT,
    /** The parent runs once every child has finished, whatever their outcomes; it reads them in {@link Task#children()}. */
    RUN_PARENT
}
