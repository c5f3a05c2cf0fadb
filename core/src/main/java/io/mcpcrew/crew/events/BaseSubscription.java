package io.mcpcrew.crew.events;

import io.mcpcrew.crew.tenancy.TenantRedis;

/** What broadcast subscribers and group consumers share: identity, state, last delivery and last error. */
abstract class BaseSubscription implements Subscription {
    final SubscriptionContainer owner;
    final TenantRedis redis;
    final String stream;
    volatile boolean active = true;
    volatile String lastDeliveredId;
    volatile String lastError;

    BaseSubscription(SubscriptionContainer owner, TenantRedis redis, String stream) {
        this.owner = owner;
        this.redis = redis;
        this.stream = stream;
    }

    @Override
    public String tenant() {
        return redis.tenant();
    }

    @Override
    public String stream() {
        return stream;
    }

    @Override
    public boolean isActive() {
        return active && !owner.isClosed();
    }

    @Override
    public String lastDeliveredId() {
        return lastDeliveredId;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        active = false;
        owner.untrack(this);
    }

    @Override
    public String toString() {
        return "Subscription[" + tenant() + "/" + stream + (group() == null ? "" : " group " + group() + " as "
                + consumer()) + "]";
    }
}
