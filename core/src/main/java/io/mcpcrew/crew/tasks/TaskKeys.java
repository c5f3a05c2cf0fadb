package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.tenancy.TenantKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every Redis key of one task queue, all in the queue's hash tag {@code {<tenant>.<queue>}} so that each script
 * runs on one Cluster slot, plus the two keys outside any tenant: the registry of queues the managed workers
 * serve ({@link #registryKey}) and that of the queues with schedules ({@link #scheduledRegistryKey}). The layout
 * is the wire format of {@code docs/wire-format/tasks.md}.
 */
public final class TaskKeys {
    static final String COMPONENT = "tasks";

    /**
     * The pending LISTs of wire format 1, one per priority (CRITICAL first): {@code ...:pending:critical} ...
     * {@code :low}. The scripts only empty them (a claim moves what an earlier version left there to the lists of
     * {@link #pendingPrefix}).
     */
    final List<String> legacyPending;
    /** Prefix of the pending LISTs, one per priority and task name: {@code pendingPrefix + "normal:" + name}. */
    final String pendingPrefix;
    /** SET of the task names that may have pending tasks. */
    final String names;
    /** HASH: task name (or {@code *}) to when a worker serving it last claimed (epoch ms). */
    final String served;
    final String scheduled;
    final String retry;
    final String running;
    final String dead;
    final String meta;
    /** STREAM of outcomes and progress ({@code redis.crew.tasks.completion-stream.enabled}). */
    final String completions;
    /** Prefix of task records: {@code taskPrefix + id}. */
    final String taskPrefix;
    /** Prefix of idempotency keys: {@code idemPrefix + key}. */
    final String idemPrefix;
    /** HASH: schedule name to its spec text ({@link ScheduleSpec#format()}). */
    final String schedules;
    /** ZSET: schedule name to its next tick (epoch ms); a schedule absent here is paused. */
    final String scheduleDue;
    /** HASH: schedule name to the last tick it fired (epoch ms). */
    final String scheduleFired;

    TaskKeys(TenantKeys keys, String queue) {
        List<String> lists = new ArrayList<>(4);
        for (TaskPriority p : TaskPriority.values()) {
            lists.add(keys.tagged(COMPONENT, queue, "pending", p.name().toLowerCase(Locale.ROOT)));
        }
        legacyPending = List.copyOf(lists);
        pendingPrefix = keys.tagged(COMPONENT, queue, "pending") + ":";
        names = keys.tagged(COMPONENT, queue, "names");
        served = keys.tagged(COMPONENT, queue, "served");
        scheduled = keys.tagged(COMPONENT, queue, "scheduled");
        retry = keys.tagged(COMPONENT, queue, "retry");
        running = keys.tagged(COMPONENT, queue, "running");
        dead = keys.tagged(COMPONENT, queue, "dead");
        meta = keys.tagged(COMPONENT, queue, "meta");
        completions = keys.tagged(COMPONENT, queue, "completions");
        taskPrefix = keys.tagged(COMPONENT, queue, "task") + ":";
        idemPrefix = keys.tagged(COMPONENT, queue, "idem") + ":";
        schedules = keys.tagged(COMPONENT, queue, "schedules");
        scheduleDue = keys.tagged(COMPONENT, queue, "schedule-due");
        scheduleFired = keys.tagged(COMPONENT, queue, "schedule-fired");
    }

    String task(String id) {
        return taskPrefix + id;
    }

    /**
     * The keys of {@code claim.lua} and {@code stats.lua}: scheduled, retry, running, dead, meta, names, served, then
     * the pending lists of wire format 1.
     */
    List<String> queueKeys() {
        List<String> k = new ArrayList<>(12);
        k.addAll(List.of(scheduled, retry, running, dead, meta, names, served));
        k.addAll(legacyPending);
        return k;
    }

    /** The keys of {@code claim.lua}: {@link #queueKeys()}, then the completion stream. */
    List<String> claimKeys() {
        List<String> k = queueKeys();
        k.add(completions);
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

    /**
     * {@code <keyPrefix>:_sys:tasks:scheduled-queues}: a SET of {@code "<tenant>/<queue>"} members naming the queues
     * that have schedules, read by the schedule runners ({@link ScheduleRunner}). A queue is added before its first
     * schedule is written and removed by a runner once it has none.
     */
    public static String scheduledRegistryKey(String keyPrefix) {
        return TenantKeys.systemKey(keyPrefix, COMPONENT, "scheduled-queues");
    }

    /** The registry member of a queue: {@code "<tenant>/<queue>"}. */
    static String registryMember(String tenant, String queue) {
        return tenant + "/" + queue;
    }
}
