package io.mcpcrew.crew.redis;

/**
 * What coalescing has done so far: the pipelines sent and the commands they carried ({@code commands / pipelines}
 * is the mean number of callers that shared a round trip). Both 0 when coalescing is off.
 */
public record CoalescingStats(long pipelines, long commands) {
    /** The pipelines and commands since {@code earlier}. */
    public CoalescingStats since(CoalescingStats earlier) {
        return new CoalescingStats(pipelines - earlier.pipelines, commands - earlier.commands);
    }

    /** Commands per pipeline, 0 when none was sent. */
    public double commandsPerPipeline() {
        return pipelines == 0 ? 0.0 : (double) commands / pipelines;
    }
}
