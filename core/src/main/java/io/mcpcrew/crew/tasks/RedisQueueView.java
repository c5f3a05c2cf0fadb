package io.mcpcrew.crew.tasks;

import io.mcpcrew.crew.tenancy.TenantRedis;

/**
 * What the two views of one queue on Redis share, the producer's ({@link RedisTaskQueue}) and the worker's
 * ({@link RedisTaskLeases}): the tenant's Redis, the queue's name and keys, and equality. Two views of the same
 * kind, tenant and queue are equal (the worker pool keys its bookkeeping by them).
 */
abstract class RedisQueueView {
    final TenantRedis redis;
    final String queue;
    final TaskKeys keys;

    RedisQueueView(TenantRedis redis, String queue) {
        this.redis = redis;
        this.queue = queue;
        this.keys = new TaskKeys(redis.keys(), queue);
    }

    public String tenant() {
        return redis.tenant();
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((RedisQueueView) o).tenant().equals(tenant())
                && ((RedisQueueView) o).queue.equals(queue);
    }

    @Override
    public int hashCode() {
        return tenant().hashCode() * 31 + queue.hashCode();
    }

    @Override
    public String toString() {
        return "TaskQueue[" + tenant() + "/" + queue + "]";
    }
}
