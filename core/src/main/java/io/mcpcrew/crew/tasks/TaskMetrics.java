package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.metrics.CrewMetrics;
import io.mcpcrew.crew.metrics.TenantMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * This node's task meters, per tenant and queue under the cardinality policy ({@link TenantMeters}): tasks enqueued,
 * attempts finished by this node's workers by outcome, handler duration, and queue wait (enqueue to the claim of the
 * first attempt). One per manager ({@link CrewMetrics#component}); null handles with metrics off.
 */
final class TaskMetrics {
    /** Handler duration and queue wait buckets: 10 ms to 5 min. */
    static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5)};

    private final TenantMeters<QueueMeters> queues;

    private TaskMetrics(CrewMetrics metrics) {
        MeterRegistry r = metrics.registry();
        this.queues = metrics.enabled() ? metrics.tenantMeters((t, q) -> new QueueMeters(r, t, q),
                m -> metrics.remove(m.enqueued, m.succeeded, m.retried, m.dead, m.leaseLost, m.handler, m.wait))
                : null;
    }

    /** The task meters of {@code metrics}' manager. */
    static TaskMetrics of(CrewMetrics metrics) {
        return metrics.component("tasks", () -> new TaskMetrics(metrics));
    }

    /** The meters of a queue, resolved once; null with metrics off. */
    TenantMeters.Handle<QueueMeters> queue(String tenant, String queue) {
        return queues == null ? null : queues.handle(tenant, queue);
    }

    /** The meters of the queue of leases; null for leases of another kind or with metrics off. */
    static QueueMeters of(TaskLeases q) {
        if (q instanceof RedisTaskLeases l) {
            TenantMeters.Handle<QueueMeters> h = l.meters();
            return h == null ? null : h.get();
        }
        return null;
    }

    /** One queue's meters (or the aggregate {@code _other}). */
    static final class QueueMeters {
        final Counter enqueued;
        final Counter succeeded;
        final Counter retried;
        final Counter dead;
        final Counter leaseLost;
        final Timer handler;
        final Timer wait;

        QueueMeters(MeterRegistry r, String tenant, String queue) {
            enqueued = Counter.builder("crew.tasks.enqueued").description("tasks this node enqueued (written or buffered; a flow counts its parent and each child)")
                    .tag("tenant", tenant).tag("queue", queue).register(r);
            succeeded = attempts(r, tenant, queue, "succeeded");
            retried = attempts(r, tenant, queue, "failed");
            dead = attempts(r, tenant, queue, "dead");
            leaseLost = attempts(r, tenant, queue, "lease_lost");
            handler = Timer.builder("crew.tasks.handler.duration").description("handler run time on this node")
                    .tag("tenant", tenant).tag("queue", queue).serviceLevelObjectives(BUCKETS).register(r);
            wait = Timer.builder("crew.tasks.queue.wait").description("time from enqueue to the claim of the first "
                    + "attempt, on this node's workers (a task enqueued for later counts its delay)")
                    .tag("tenant", tenant).tag("queue", queue).serviceLevelObjectives(BUCKETS).register(r);
        }

        private static Counter attempts(MeterRegistry r, String tenant, String queue, String outcome) {
            return Counter.builder("crew.tasks.attempts").description("attempts this node's workers finished, by "
                    + "outcome: succeeded, failed (will retry), dead (dead-lettered), lease_lost (finished after the "
                    + "lease expired; may run again)").tag("tenant", tenant).tag("queue", queue).tag("outcome", outcome)
                    .register(r);
        }

        void handled(long nanos) {
            handler.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
