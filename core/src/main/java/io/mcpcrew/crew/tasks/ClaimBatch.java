package io.mcpcrew.crew.tasks;

import java.util.List;

/** What one {@link TaskQueue#ackAndClaim} round trip did: which acks held, and the tasks newly claimed. */
public final class ClaimBatch {
    private final List<Boolean> acked;
    private final List<Task> claimed;

    ClaimBatch(List<Boolean> acked, List<Task> claimed) {
        this.acked = List.copyOf(acked);
        this.claimed = List.copyOf(claimed);
    }

    /** One flag per acknowledged task: true if its lease was still held and it is now SUCCEEDED. */
    public List<Boolean> acked() {
        return acked;
    }

    public List<Task> claimed() {
        return claimed;
    }
}
