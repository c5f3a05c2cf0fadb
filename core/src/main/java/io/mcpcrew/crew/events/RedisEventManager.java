package io.mcpcrew.crew.events;

import io.mcpcrew.crew.concurrency.CrewThreads;
import io.mcpcrew.crew.health.WorkerHealth;
import io.mcpcrew.crew.redis.RedisManager;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Logger;

/**
 * {@link EventManager} on Redis Streams. A CDI bean ({@code @ApplicationScoped}: its reader threads come from
 * {@link CrewThreads}, so from the server's managed thread factory, and stop at {@code @PreDestroy}); outside a
 * container build it with {@link #RedisEventManager(RedisManager)} and {@link #close()} it.
 *
 * <p>It wires the parts and owns their lifecycle and health: the {@link EventPublisher} (XADD, the fallback buffer
 * and its write-back), the {@link SubscriptionContainer} (broadcast readers and group consumers on their threads),
 * {@link StreamQueries} (replay, dead letters, stream info) and the {@link StreamTrimmer} (retention by age).
 * {@link #forTenant} gives the tenant's view of them.
 *
 * <p>Threads and connections: one thread per (tenant, stream) with broadcast subscribers on this node, shared by
 * all of them, and one thread per group subscription. Each holds a pooled Redis connection while it waits in
 * {@code XREAD}/{@code XREADGROUP BLOCK} (at most {@code redis.crew.events.block}), so size
 * {@code redis.crew.pool.max-total} at least (readers + group consumers + concurrent request threads).
 *
 * <p>As a {@link WorkerHealth} it is part of the liveness check: DOWN if a reader thread died.
 *
 * <p>Dedicated threads, not a managed executor: subscriptions are loops that live as long as the application, and
 * a managed executor's few pool threads would be taken by them; the Concurrency specification names
 * {@code ManagedThreadFactory} for such long-running work.
 */
@ApplicationScoped
public class RedisEventManager implements EventManager, WorkerHealth, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisEventManager.class.getName());

    private final RedisManager redis;
    private final EventSettings settings;
    private final CdiBridge cdi;
    private final StreamTrimmer trimmer;
    private final EventPublisher publisher;
    private final SubscriptionContainer subscriptions;
    private final StreamQueries queries;
    private final StreamBrowser browser;
    private final DeadLetterRedrive redrive;

    /** For the CDI proxy only. */
    protected RedisEventManager() {
        this.redis = null;
        this.settings = null;
        this.cdi = null;
        this.trimmer = null;
        this.publisher = null;
        this.subscriptions = null;
        this.queries = null;
        this.browser = null;
        this.redrive = null;
    }

    /** The CDI constructor: reader threads from {@link CrewThreads}, CDI bridge through {@code beans}. */
    @Inject
    public RedisEventManager(RedisManager redis, BeanManager beans) {
        this(redis, (ThreadFactory) null, beans);
    }

    /** Outside a container: readers on threads from {@link CrewThreads} (daemon threads there); no CDI bridge. */
    public RedisEventManager(RedisManager redis) {
        this(redis, (ThreadFactory) null, null);
    }

    /** {@code threads} runs the readers (null: threads from {@link CrewThreads}); no CDI bridge. */
    public RedisEventManager(RedisManager redis, ThreadFactory threads) {
        this(redis, threads, (BeanManager) null);
    }

    private RedisEventManager(RedisManager redis, ThreadFactory threads, BeanManager beans) {
        this.redis = redis;
        this.settings = EventSettings.load(redis.config().source());
        this.cdi = beans == null ? null : new CdiBridge(beans);
        this.trimmer = new StreamTrimmer(settings);
        this.publisher = new EventPublisher(redis, settings, trimmer);
        this.subscriptions = new SubscriptionContainer(redis, settings, threads != null ? threads : CrewThreads.factory("events"),
                publisher.registry());
        redis.metrics().addWorkKey(StreamRegistry.key(redis.config().keyPrefix()));
        redis.metrics().addReader("events", new StreamGauges(redis, redis.metrics().registry()));
        this.queries = new StreamQueries(publisher);
        this.browser = new StreamBrowser(publisher.catalog());
        this.redrive = new DeadLetterRedrive(redis, settings, trimmer);
    }

    /** Starts the CDI bridges listed in {@code redis.crew.events.cdi.streams} when the application starts. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        for (EventSettings.CdiBridgeSpec s : settings.cdiStreams()) {
            bridgeToCdi(s.tenant(), s.stream(), s.group());
            LOG.info(() -> "events of " + s + " are fired as CDI events");
        }
    }

    @Override
    public TenantEvents forTenant(String tenant) {
        return new RedisTenantEvents(redis.forTenant(tenant), publisher, subscriptions, queries, browser,
                trimmer, redrive);
    }

    @Override
    public Subscription bridgeToCdi(String tenant, String stream, String group) {
        if (cdi == null) {
            throw new IllegalStateException("no CDI container: this RedisEventManager was built without a BeanManager");
        }
        return cdi.start(forTenant(tenant), stream, group);
    }

    @Override
    public int bufferedEvents() {
        return publisher.buffered();
    }

    @Override
    public EventSettings settings() {
        return settings;
    }

    // ---- health -----------------------------------------------------------------------------------------------

    @Override
    public String workerName() {
        return "event-readers";
    }

    /** True unless a subscription's reader thread ended while the subscription is still open. */
    @Override
    public boolean alive() {
        return subscriptions.alive();
    }

    @Override
    public String detail() {
        long groups = subscriptions.groupConsumers();
        int broadcastReaders = subscriptions.broadcastReaders();
        return broadcastReaders + " broadcast reader(s), " + groups + " group consumer(s), " + publisher.buffered()
                + " buffered event(s)";
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------

    /** Stops every subscription and waits (bounded) for the reader threads to end. Buffered events stay unsent. */
    @PreDestroy
    @Override
    public void close() {
        if (subscriptions.close()) {
            publisher.warnIfUnwritten();
        }
    }
}
