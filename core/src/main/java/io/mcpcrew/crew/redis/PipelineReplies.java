package io.mcpcrew.crew.redis;

import java.util.List;

/**
 * The replies of a {@link RedisManager#pipelineByKey} batch, in the order of its calls: each the command's reply, or
 * the {@link RedisCrewException} of its own error reply; and the round trips it took (one per node it reached, plus
 * one for each NOSCRIPT reload).
 */
public record PipelineReplies(List<Object> replies, int roundTrips) {
    public PipelineReplies {
        replies = java.util.Collections.unmodifiableList(replies);
    }

    /** The reply of call {@code i}, or null when that call failed. */
    public Object ok(int i) {
        Object r = replies.get(i);
        return r instanceof RuntimeException ? null : r;
    }
}
