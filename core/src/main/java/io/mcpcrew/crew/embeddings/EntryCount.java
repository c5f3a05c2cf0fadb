package io.mcpcrew.crew.embeddings;

/**
 * How many vectors a tenant's model holds ({@link ModelEmbeddingCache#countEntries}), counted by a bounded SCAN of
 * every master: vector keys have no hash tag, so they spread over the whole keyspace.
 *
 * @param entries     the vectors: the count itself when {@code complete}, else the count extrapolated per master by
 *                    {@code DBSIZE / keys scanned}
 * @param counted     vector keys of the model the scan returned
 * @param complete    true if the scan covered every master's whole keyspace (a key may still be counted twice when
 *                    Redis rehashed during the scan, SCAN's guarantee)
 * @param coverage    the share of all keys the scan returned (1 when complete)
 * @param keysScanned keys the scan returned, of every tenant and component
 * @param scanCalls   SCAN calls made
 * @param roundTrips  round trips to Redis
 * @param millis      how long the count took
 */
public record EntryCount(String tenant, String model, long entries, long counted, boolean complete, double coverage,
        long keysScanned, int scanCalls, int roundTrips, long millis) {
}
