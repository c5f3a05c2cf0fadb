package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.tenancy.TenantKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every Redis key of one task queue, all in the queue's hash tag {@code {<tenant>.<queue>}} so that each script
 * runs on one Cluster slot, plus the one key outside any tenant: the registry of queues the managed workers
 * serve ({@link #registryKey}). The layout is the wire format of {@code docs/wire-format/tasks.md}.
 */
public final class TaskKeys {
    static final String COMPONENT = "tasks";

    /** The pending LISTs, by priority rank (CRITICAL first): {@code ...:pending:critical} ... {@code :low}. */
    final List<String> pending;
    final String scheduled;
    final String retry;
    final String running;
    final String dead;
    final String meta;
    /** Prefix of task records: {@code taskPrefix + id}. */
    final String taskPrefix;
    /** Prefix of idempotency keys: {@code idemPrefix + key}. */
    final String idemPrefix;

    TaskKeys(TenantKeys keys, String queue) {
        List<String> lists = new ArrayList<>(4);
        for (TaskPriority p : TaskPriority.values()) {
            lists.add(keys.tagged(COMPONENT, queue, "pending", p.name().toLowerCase(Locale.ROOT)));
        }
        pending = List.copyOf(lists);
        scheduled = keys.tagged(COMPONENT, queue, "scheduled");
        retry = keys.tagged(COMPONENT, queue, "retry");
        running = keys.tagged(COMPONENT, queue, "running");
        dead = keys.tagged(COMPONENT, queue, "dead");
        meta = keys.tagged(COMPONENT, queue, "meta");
        taskPrefix = keys.tagged(COMPONENT, queue, "task") + ":";
        idemPrefix = keys.tagged(COMPONENT, queue, "idem") + ":";
    }

    String task(String id) {
        return taskPrefix + id;
    }

    /** The keys of {@code claim.lua} and {@code stats.lua}: pending lists, scheduled, retry, running, dead, meta. */
    List<String> queueKeys() {
        List<String> k = new ArrayList<>(pending);
        k.addAll(List.of(scheduled, retry, running, dead, meta));
        return k;
    }

    /** {@code first}, then the pending lists (CRITICAL first). */
    List<String> withPending(String first) {
        List<String> k = new ArrayList<>(5);
        k.add(first);
        k.addAll(pending);
        return k;
    }

    /**
     * {@code <keyPrefix>:_sys:tasks:queues}: a SET of {@code "<tenant>/<queue>"} members naming every queue that
     * was ever enqueued to, read by the managed workers to find work. {@code _sys} can never be a tenant id (ids
     * start with a letter or digit), so this key never collides with tenant data. Built here and nowhere else.
     */
    public static String registryKey(String keyPrefix) {
        return TenantKeys.systemKey(keyPrefix, COMPONENT, "queues");
    }

    /** The registry member of a queue: {@code "<tenant>/<queue>"}. */
    static String registryMember(String tenant, String queue) {
        return tenant + "/" + queue;
    }
}
