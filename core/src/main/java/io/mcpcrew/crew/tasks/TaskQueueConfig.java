package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.config.ConfigSource;
import io.mcpcrew.crew.config.ConfigurationException;
import java.time.Duration;

/**
 * The {@code redis.crew.tasks.*} settings (env {@code REDIS_CREW_TASKS_*}), read and validated once. Defaults are
 * also listed in {@code META-INF/microprofile-config.properties} and in {@code docs/tasks.md}.
 */
public final class TaskQueueConfig {
    static final String PREFIX = "redis.crew.tasks.";

    private final Duration lease;
    private final int maxAttempts;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final int maxPayloadBytes;
    private final int bufferCapacity;
    private final int claimBatch;
    private final Duration pollInterval;
    private final boolean workersEnabled;
    private final int workersConcurrency;
    private final int workersTenantMaxShare;
    private final boolean demoHandlersEnabled;
    private final Duration shutdownGrace;
    private final Duration queueRefresh;
    private final Duration servedWindow;
    private final Duration progressInterval;
    private final Duration awaitPollInterval;
    private final boolean completionStreamEnabled;
    private final int completionStreamMaxLength;
    private final boolean schedulesEnabled;
    private final Duration schedulesInterval;
    private final Duration schedulesCatchUpWindow;

    private TaskQueueConfig(ConfigSource c) {
        lease = c.duration(PREFIX + "lease", Duration.ofSeconds(30), Duration.ofMillis(100));
        maxAttempts = c.integer(PREFIX + "max-attempts", 3, 1, 1000);
        backoffBase = c.duration(PREFIX + "backoff-base", Duration.ofSeconds(1), Duration.ZERO);
        backoffCap = c.duration(PREFIX + "backoff-cap", Duration.ofMinutes(5), backoffBase);
        maxPayloadBytes = c.integer(PREFIX + "max-payload-bytes", 1_048_576, 16, 64 * 1_048_576);
        bufferCapacity = c.integer(PREFIX + "buffer-capacity", 10_000, 1, 10_000_000);
        claimBatch = c.integer(PREFIX + "claim-batch", 100, 1, 1000);
        pollInterval = c.duration(PREFIX + "poll-interval", Duration.ofMillis(200), Duration.ofMillis(1));
        workersEnabled = c.bool(PREFIX + "workers.enabled", true);
        workersConcurrency = c.integer(PREFIX + "workers.concurrency", 8, 1, 10_000);
        workersTenantMaxShare = tenantMaxShare(c, workersConcurrency);
        demoHandlersEnabled = c.bool(PREFIX + "demo-handlers.enabled", false);
        shutdownGrace = c.duration(PREFIX + "workers.shutdown-grace", Duration.ofSeconds(30), Duration.ZERO);
        queueRefresh = c.duration(PREFIX + "workers.queue-refresh", Duration.ofSeconds(2), Duration.ofMillis(10));
        servedWindow = c.duration(PREFIX + "workers.served-window", Duration.ofSeconds(15), Duration.ofSeconds(2));
        progressInterval = c.duration(PREFIX + "progress-interval", Duration.ofMillis(500), Duration.ofMillis(10));
        awaitPollInterval = c.duration(PREFIX + "await-poll-interval", Duration.ofMillis(100), Duration.ofMillis(10));
        completionStreamEnabled = c.bool(PREFIX + "completion-stream.enabled", false);
        completionStreamMaxLength = c.integer(PREFIX + "completion-stream.max-length", 10_000, 1, 10_000_000);
        schedulesEnabled = c.bool(PREFIX + "schedules.enabled", true);
        schedulesInterval = c.duration(PREFIX + "schedules.interval", Duration.ofSeconds(1), Duration.ofSeconds(1));
        schedulesCatchUpWindow = c.duration(PREFIX + "schedules.catch-up-window", Duration.ofMinutes(1), Duration.ZERO);
    }

    /** The default share per tenant: a quarter of the concurrency, at least one slot. */
    public static int defaultTenantMaxShare(int concurrency) {
        return Math.max(1, concurrency / 4);
    }

    private static int tenantMaxShare(ConfigSource c, int concurrency) {
        String key = PREFIX + "workers.tenant-max-share";
        int share = c.integer(key, defaultTenantMaxShare(concurrency), 1, 10_000);
        if (share > concurrency) {
            throw new ConfigurationException(key, String.valueOf(share), "must not exceed " + PREFIX
                    + "workers.concurrency (" + concurrency + "): a tenant cannot hold more slots than the pool has");
        }
        return share;
    }

    public static TaskQueueConfig load(ConfigSource source) {
        return new TaskQueueConfig(source);
    }

    /** How long a claimed task stays leased without a renewal; workers renew every third of it. */
    public Duration lease() {
        return lease;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration backoffBase() {
        return backoffBase;
    }

    public Duration backoffCap() {
        return backoffCap;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** Tasks accepted into the local buffer while Redis is down, before enqueue fails. */
    public int bufferCapacity() {
        return bufferCapacity;
    }

    /** The most tasks one claim script takes for a worker. */
    public int claimBatch() {
        return claimBatch;
    }

    /** How soon a worker asks an empty queue again (doubling while it stays empty, up to ten times this). */
    public Duration pollInterval() {
        return pollInterval;
    }

    public boolean workersEnabled() {
        return workersEnabled;
    }

    /** Tasks the server's managed workers run at once, over all tenants' queues. */
    public int workersConcurrency() {
        return workersConcurrency;
    }

    /**
     * The most of the managed workers' slots one tenant holds at once, over all its queues (default: a quarter of
     * {@link #workersConcurrency()}, at least 1): another tenant's task never waits for this tenant's to finish.
     */
    public int workersTenantMaxShare() {
        return workersTenantMaxShare;
    }

    /** Whether the built-in demonstration handlers ({@code echo}, {@code sleep}) are registered. */
    public boolean demoHandlersEnabled() {
        return demoHandlersEnabled;
    }

    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** How often the managed workers re-read the registry of queues. */
    public Duration queueRefresh() {
        return queueRefresh;
    }

    /**
     * A task name counts as served in a queue while a worker serving it claimed there within this window (workers
     * say so at most once a second, and an idle worker asks at least every ten poll intervals); pending tasks of
     * other names are reported as unclaimed ({@link QueueStats#unclaimed}).
     */
    public Duration servedWindow() {
        return servedWindow;
    }

    /**
     * A worker pool writes the progress its handlers report at most this often (the latest value of each task, one
     * script per queue), however often they report.
     */
    public Duration progressInterval() {
        return progressInterval;
    }

    /**
     * How often the tasks waited for ({@link TaskQueue#await}) are read from Redis: one script per queue with
     * waiters (up to 500 tasks each), whatever the number of waiters.
     */
    public Duration awaitPollInterval() {
        return awaitPollInterval;
    }

    /** Whether the scripts that finish a task (and progress writes) add an entry to the queue's completion stream. */
    public boolean completionStreamEnabled() {
        return completionStreamEnabled;
    }

    /** The length a queue's completion stream is trimmed to (approximately: {@code XADD MAXLEN ~}). */
    public int completionStreamMaxLength() {
        return completionStreamMaxLength;
    }

    /** The completion stream's length as a script argument: "0" while the stream is off. */
    String completionStreamArg() {
        return completionStreamEnabled ? Integer.toString(completionStreamMaxLength) : "0";
    }

    /** Whether this server runs the schedule timer (recurring tasks); {@link ScheduleRunner} in plain Java. */
    public boolean schedulesEnabled() {
        return schedulesEnabled;
    }

    /** How often the server's schedule timer fires due ticks (a tick fires at most this late while a node runs). */
    public Duration schedulesInterval() {
        return schedulesInterval;
    }

    /**
     * How late a tick may be and still run on its own: a runner that finds a schedule due runs each tick that is
     * at most this late (catching up); ticks older than that were missed, and run once together (see
     * {@link ScheduleRunner}).
     */
    public Duration schedulesCatchUpWindow() {
        return schedulesCatchUpWindow;
    }
}
