package io.mcpcrew.crew.tasks;

import java.util.List;

/**
 * What one {@link TaskLeases#ackAndClaim} round trip did: which acks held, and the tasks newly claimed.
 *
 * @param acked   one flag per acknowledged task, in the order given: true if its lease was still held and it is
 *                now SUCCEEDED
 * @param claimed the tasks claimed, highest priority first, each leased to the caller
 */
public record ClaimBatch(List<Boolean> acked, List<Task> claimed) {

    public ClaimBatch {
        acked = List.copyOf(acked);
        claimed = List.copyOf(claimed);
    }
}
