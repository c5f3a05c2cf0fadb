package io.mcpcrew.crew.events;

import io.mcpcrew.crew.paging.Page;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One tenant's view of the event manager's parts: publisher, subscription container, queries and trimmer. */
final class RedisTenantEvents implements TenantEvents {
    private final TenantRedis redis;
    private final EventPublisher publisher;
    private final SubscriptionContainer subscriptions;
    private final StreamQueries queries;
    private final StreamBrowser browser;
    private final StreamTrimmer trimmer;
    private final DeadLetterRedrive redrive;

    RedisTenantEvents(TenantRedis redis, EventPublisher publisher, SubscriptionContainer subscriptions,
            StreamQueries queries, StreamBrowser browser, StreamTrimmer trimmer, DeadLetterRedrive redrive) {
        this.redis = redis;
        this.publisher = publisher;
        this.subscriptions = subscriptions;
        this.queries = queries;
        this.browser = browser;
        this.trimmer = trimmer;
        this.redrive = redrive;
    }

    @Override
    public String tenant() {
        return redis.tenant();
    }

    @Override
    public String publish(Event event, String stream) {
        return publisher.publish(redis, event, stream);
    }

    @Override
    public List<String> publishAll(List<Event> events, String stream) {
        return publisher.publishAll(redis, events, stream);
    }

    @Override
    public Subscription subscribe(String stream, EventHandler handler) {
        return subscriptions.subscribe(redis, stream, null, handler);
    }

    @Override
    public Subscription subscribeAfter(String stream, String afterId, EventHandler handler) {
        return subscriptions.subscribe(redis, stream, afterId == null ? "0" : afterId, handler);
    }

    @Override
    public Subscription subscribe(String stream, String group, EventHandler handler) {
        return subscriptions.subscribeGroup(redis, stream, group, handler);
    }

    @Override
    public boolean createGroup(String stream, String group, String startId) {
        return subscriptions.createGroup(redis, stream, group, startId);
    }

    @Override
    public List<Event> replay(String stream, String afterId, int limit) {
        return queries.replay(redis, stream, afterId, limit);
    }

    @Override
    public List<Event> replaySince(String stream, Instant since, int limit) {
        return queries.replaySince(redis, stream, since, limit);
    }

    @Override
    public List<DeadLetter> deadLetters(String stream, String afterId, int limit) {
        return queries.deadLetters(redis, stream, afterId, limit);
    }

    @Override
    public Optional<String> redrive(String stream, String deadLetterId) {
        return redrive.redrive(redis, stream, deadLetterId);
    }

    @Override
    public Optional<StreamInfo> info(String stream) {
        return queries.info(redis, stream);
    }

    @Override
    public long trim(String stream) {
        return trimmer.trim(redis, stream);
    }

    @Override
    public Page<String> streams(String cursor, int limit) {
        return browser.streams(redis, cursor, limit);
    }

    @Override
    public Optional<List<ConsumerGroup>> groups(String stream, int maxConsumers) {
        return browser.groups(redis, stream, maxConsumers);
    }
}
