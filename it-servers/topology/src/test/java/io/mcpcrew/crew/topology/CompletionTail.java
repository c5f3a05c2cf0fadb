package io.mcpcrew.crew.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Reads the completion streams of a scenario's queues as they grow (every 250 ms, from the suite's own client), so
 * that an outcome Redis acknowledged and then lost in a failover was still seen: each {@code SUCCEEDED} entry is kept
 * by its entry id, with the attempt it names. After a failure the reader starts again 10 s earlier (a new master's
 * stream may hold fewer entries); entries are counted once by id whatever is read twice. A task completed twice is one
 * whose success is recorded for two different attempts (two runs); one attempt announced twice (its acknowledgement
 * sent again after a first one the replicas did not confirm, then lost with the old master) is one run.
 */
final class CompletionTail implements AutoCloseable {
    private static final long REWIND_MS = 10_000;
    /** entry id → "task id@attempts", for every SUCCEEDED entry seen. */
    private final Map<String, String> succeeded = new ConcurrentHashMap<>();
    private final Map<String, StreamEntryID> cursors = new HashMap<>();
    private final RedisTopology redis;
    private final String tenant;
    private final Thread thread;
    private volatile boolean running = true;

    CompletionTail(RedisTopology redis, String tenant) {
        this.redis = redis;
        this.tenant = tenant;
        this.thread = new Thread(this::loop, "completion-tail-" + tenant);
        thread.setDaemon(true);
        thread.start();
    }

    static String streamKey(String tenant, String queue) {
        return Scenario.PREFIX + ":" + tenant + ":tasks:{" + tenant + "." + queue + "}:completions";
    }

    private void loop() {
        UnifiedJedis client = null;
        while (running) {
            try {
                if (client == null) {
                    client = redis.client();
                }
                readAll(client);
                RedisTools.sleep(250);
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                if (client != null) {
                    client.close();
                    client = null;
                }
                cursors.replaceAll((q, id) -> new StreamEntryID(Math.max(0, id.getTime() - REWIND_MS), 0));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException stop) {
                    break;
                }
            }
        }
        if (client != null) {
            client.close();
        }
    }

    /** Reads what each queue's stream holds after its cursor and moves the cursor. */
    void readAll(UnifiedJedis client) {
        for (int q = 0; q < MixedLoad.QUEUES; q++) {
            String queue = "q" + q;
            StreamEntryID from = cursors.getOrDefault(queue, new StreamEntryID(0, 0));
            while (true) {
                List<StreamEntry> page = client.xrange(streamKey(tenant, queue), from.toString(), "+", 1000);
                for (StreamEntry e : page) {
                    if ("SUCCEEDED".equals(e.getFields().get("outcome"))) {
                        succeeded.put(e.getID().toString(), e.getFields().get("id") + "@" + e.getFields().get("attempts"));
                    }
                }
                if (page.size() < 1000) {
                    if (!page.isEmpty()) {
                        StreamEntryID last = page.get(page.size() - 1).getID();
                        cursors.put(queue, new StreamEntryID(last.getTime(), last.getSequence() + 1));
                    }
                    break;
                }
                StreamEntryID last = page.get(page.size() - 1).getID();
                from = new StreamEntryID(last.getTime(), last.getSequence() + 1);
                cursors.put(queue, from);
            }
        }
    }

    /**
     * Task id → how many distinct attempts a SUCCEEDED entry named (seen live, or in a last full read by the caller):
     * the runs that completed.
     */
    Map<String, Integer> completionsPerTask() {
        Map<String, Integer> n = new HashMap<>();
        new java.util.HashSet<>(succeeded.values()).forEach(run -> n.merge(run.substring(0, run.indexOf('@')), 1,
                Integer::sum));
        return n;
    }

    /** SUCCEEDED entries beyond the first for one attempt of a task: a run announced again. */
    int announcedAgain() {
        return succeeded.size() - new java.util.HashSet<>(succeeded.values()).size();
    }

    /** A last read of every stream from its start, with a client of the caller's. */
    void finalRead(UnifiedJedis client) {
        cursors.clear();
        readAll(client);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
